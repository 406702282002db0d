using System.Text.Json.Nodes;
using CaseBot.Slack.Options;
using CaseBot.Slack.Tests.Infrastructure;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Slack.Tests.WebApi;

/// <summary>
/// A 5xx or a timeout on chat.postMessage does not say whether Slack posted the message, and the Web API has no
/// idempotency key. Every post carries metadata with a post id of its own; before a retry the client looks for that id
/// in the conversation (conversations.history, or conversations.replies in a thread) and does not post again when
/// Slack had posted it. When the check cannot be made (no scope, not in the channel, an error), the post is retried as
/// before and why is logged once. A failed connection (<see cref="HttpRequestException"/>: refused, or reset after the
/// request went out) is one more such failure, and after the last allowed try fails so the check is made once more, so
/// a post Slack made is reported posted. The fake here can process a post and still answer 500, time out, or cut the
/// connection.
/// </summary>
public sealed class AmbiguousFailureTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly SlackMessage Hello = new("hi");

    private static async Task<SlackApiResult> PostAsync(SlackWebApiClient client, FakeTimeProvider time, string channel = "C111",
        string? threadTs = null)
    {
        var post = client.PostMessageAsync(channel, Hello, threadTs, CancellationToken.None, questionId: "Ev1");
        await time.AdvanceUntilAsync(() => post.IsCompleted, TimeSpan.FromMilliseconds(100));
        return await post.WaitAsync(Wait);
    }

    private static bool IsWarningOrError(string line) =>
        line.StartsWith("Warning", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal);

    [Theory]
    [InlineData(500, null)]
    [InlineData(502, null)]
    [InlineData(503, "1700000000.000100")]
    [InlineData(504, "1700000000.000100")]
    public async Task A_post_Slack_processed_before_answering_a_server_error_is_not_posted_again(int status, string? threadTs)
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", FakeResponse.ProcessedThen(status));
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs);

        var result = await PostAsync(client, time, threadTs: threadTs);

        Assert.True(result.Ok, result.Error);
        Assert.Single(slack.Posted.Snapshot());
        var post = Assert.Single(slack.CallsTo("chat.postMessage"));
        // A thread reply is not in the channel's history: the thread is read instead.
        var check = Assert.Single(slack.Calls.Snapshot(), c => c.Method.StartsWith("conversations.", StringComparison.Ordinal));
        Assert.Equal(threadTs is null ? "conversations.history" : "conversations.replies", check.Method);
        Assert.Equal("C111", check.Str("channel"));
        Assert.Equal(threadTs, check.Str("ts"));
        Assert.Equal("true", check.Str("include_all_metadata"));
        Assert.Equal("20", check.Str("limit"));
        Assert.True(decimal.Parse(check.Str("oldest")!, System.Globalization.CultureInfo.InvariantCulture) <= post.At.ToUnixTimeSeconds());
        Assert.Equal(slack.Messages[0].Ts, result.GetString("ts")); // the post found stands for the post made
        Assert.True(logs.Contains($"failed (HTTP {status}) but Slack had posted the message; not posting it again"), string.Join("\n", logs.Lines));
        Assert.DoesNotContain(logs.Lines, IsWarningOrError);
    }

    [Fact]
    public async Task A_post_Slack_processed_before_its_reply_timed_out_is_not_posted_again()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", FakeResponse.ProcessedThenSlow(TimeSpan.FromMinutes(1)));
        // A real HttpClient timeout: the reply of the processed post comes long after it, while the check (answered at
        // once) has ample time on a loaded machine; a shorter one timed the check out too on a busy CI run.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs, http);

        var result = await PostAsync(client, time);

        Assert.True(result.Ok, result.Error);
        Assert.Single(slack.Posted.Snapshot());
        Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Single(slack.CallsTo("conversations.history"));
        Assert.True(logs.Contains("failed (no answer in time) but Slack had posted the message"), string.Join("\n", logs.Lines));
    }

    [Fact]
    public async Task A_server_error_Slack_did_not_process_is_looked_for_then_posted_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", new FakeResponse(500, Fixture.Text("web_api/fatal_error_body.json")));
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs);

        var result = await PostAsync(client, time, threadTs: "1700000000.000100");

        Assert.True(result.Ok, result.Error);
        Assert.Single(slack.Posted.Snapshot());
        var calls = slack.Calls.Snapshot().Select(c => c.Method).ToList();
        Assert.Equal(["chat.postMessage", "conversations.replies", "chat.postMessage"], calls);
        var tries = slack.CallsTo("chat.postMessage");
        Assert.Equal(tries[0].BodyJson, tries[1].BodyJson); // the same post, the same post id
        Assert.DoesNotContain(logs.Lines, IsWarningOrError);
    }

    [Theory]
    [InlineData("missing_scope")]
    [InlineData("not_in_channel")]
    [InlineData("channel_not_found")]
    [InlineData("http_500")]
    [InlineData("timeout")]
    public async Task When_the_check_is_unavailable_the_post_is_retried_and_why_is_logged_once(string failure)
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", new FakeResponse(500, "oops"), new FakeResponse(500, "oops"));
        var checkFails = failure switch
        {
            "http_500" => new FakeResponse(500, Fixture.Text("web_api/fatal_error_body.json")),
            "timeout" => FakeResponse.Slow(TimeSpan.FromMinutes(1)),
            _ => FakeResponse.Ok($$"""{"ok":false,"error":"{{failure}}"}"""),
        };
        slack.Script("conversations.history", checkFails, checkFails);
        // A real HttpClient timeout: only the slow check meets it; the posts' 500s come at once.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs, http);

        var first = await PostAsync(client, time);
        var second = await PostAsync(client, time);

        Assert.True(first.Ok, first.Error);
        Assert.True(second.Ok, second.Error);
        Assert.Equal(2, slack.Posted.Snapshot().Count); // one each: retried as before the check existed
        Assert.Equal(4, slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(2, slack.CallsTo("conversations.history").Count);
        var why = Assert.Single(logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("conversations.history failed (", StringComparison.Ordinal));
        Assert.Contains("it may show twice", why);
        if (failure == "missing_scope") Assert.Contains("add it under OAuth & Permissions", why);
        Assert.DoesNotContain(logs.Lines, IsWarningOrError);
        Assert.False(client.BotTokenRefused);
    }

    [Fact]
    public async Task Checks_keep_to_the_tier_3_limit_when_many_posts_fail_at_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new ParkingClock(Start);
        slack.Clock = time;
        slack.ReadInterval = SlackWebApiClient.Tier3Interval;
        slack.ReadBurst = 1; // stricter than Slack: no burst at all
        slack.Script("chat.postMessage", Enumerable.Range(0, 8).Select(_ => FakeResponse.ProcessedThen(502)).ToArray());
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs);

        var posts = Enumerable.Range(0, 8).Select(i => client.PostMessageAsync($"C{i}", Hello, null, CancellationToken.None)).ToList();
        // The fake measures the limit on arrival: the clock moves only while every post waits on it, never while a
        // check is on its way (under load that took a step or more, and the next check, on time, came too soon after).
        await time.AdvanceWhenParkedAsync(() => posts.All(p => p.IsCompleted), () => posts.Count(p => !p.IsCompleted), TimeSpan.FromMilliseconds(100));
        var results = await Task.WhenAll(posts).WaitAsync(Wait);

        Assert.All(results, r => Assert.True(r.Ok, r.Error));
        Assert.Equal(8, slack.Posted.Snapshot().Count);
        Assert.Equal(8, slack.CallsTo("chat.postMessage").Count);
        var checks = slack.CallsTo("conversations.history");
        Assert.Equal(8, checks.Count);
        Assert.Equal(0, slack.ReadLimitViolations);
        Assert.All(checks.Zip(checks.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= SlackWebApiClient.Tier3Interval - TimeSpan.FromMilliseconds(1),
            $"{pair.First.At:O} then {pair.Second.At:O}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1700000000.000100")]
    public async Task A_post_Slack_processed_before_the_connection_was_reset_is_not_posted_again(string? threadTs)
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", FakeResponse.ProcessedThenDropped());
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs);

        var result = await PostAsync(client, time, threadTs: threadTs);

        Assert.True(result.Ok, result.Error);
        Assert.Single(slack.Posted.Snapshot());
        Assert.Single(slack.CallsTo("chat.postMessage"));
        var check = Assert.Single(slack.Calls.Snapshot(), c => c.Method.StartsWith("conversations.", StringComparison.Ordinal));
        Assert.Equal(threadTs is null ? "conversations.history" : "conversations.replies", check.Method);
        Assert.Equal(slack.Messages[0].Ts, result.GetString("ts"));
        Assert.True(logs.Contains("failed (connection failed: "), string.Join("\n", logs.Lines));
        Assert.True(logs.Contains("but Slack had posted the message; not posting it again"), string.Join("\n", logs.Lines));
        Assert.DoesNotContain(logs.Lines, IsWarningOrError);
    }

    [Fact]
    public async Task A_connection_cut_before_Slack_processed_the_post_is_looked_for_then_retried_after_a_backoff_and_posted_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", FakeResponse.Dropped());
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs);

        var result = await PostAsync(client, time);

        Assert.True(result.Ok, result.Error);
        Assert.Single(slack.Posted.Snapshot());
        Assert.Equal(["chat.postMessage", "conversations.history", "chat.postMessage"], slack.Calls.Snapshot().Select(c => c.Method));
        var tries = slack.CallsTo("chat.postMessage");
        Assert.Equal(tries[0].BodyJson, tries[1].BodyJson); // the same post, the same post id
        Assert.True(tries[1].At > tries[0].At, "the retry waited a backoff");
        Assert.True(logs.Contains("chat.postMessage failed (connection failed: "), string.Join("\n", logs.Lines));
        Assert.DoesNotContain(logs.Lines, IsWarningOrError);
    }

    [Fact]
    public async Task Connection_failures_forever_give_up_after_the_bound_with_one_warning_each()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", Enumerable.Range(0, 20).Select(_ => FakeResponse.Dropped()).ToArray());
        slack.Script("chat.postEphemeral", Enumerable.Range(0, 20).Select(_ => FakeResponse.Dropped()).ToArray());
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs);

        var result = await PostAsync(client, time);
        var eph = client.PostEphemeralAsync("C111", "U1", Hello, null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => eph.IsCompleted, TimeSpan.FromMilliseconds(100));
        var ephResult = await eph.WaitAsync(Wait); // no exception escapes

        var bound = new SlackOptions().MaxTransientRetries;
        Assert.Equal("request_failed", result.Error);
        Assert.Equal("request_failed", ephResult.Error);
        Assert.Empty(slack.Posted.Snapshot());
        Assert.Equal(bound + 1, slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(bound + 1, slack.CallsTo("chat.postEphemeral").Count);
        // Looked for before each retry and once after the last try; an ephemeral post is not in any history.
        Assert.Equal(bound + 1, slack.CallsTo("conversations.history").Count);
        var warnings = logs.Lines.Where(IsWarningOrError).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, l => l.Contains($"chat.postMessage could not be sent after {bound + 1} attempt(s)", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.Contains($"chat.postEphemeral could not be sent after {bound + 1} attempt(s)", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(SlackTestHost.BotToken, StringComparison.Ordinal));
        Assert.False(client.BotTokenRefused);
    }

    [Fact]
    public async Task A_retry_after_a_connection_failure_takes_the_channels_next_send_slot()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        slack.Script("chat.postMessage", FakeResponse.Dropped());
        var client = TransientErrorRetryTests.Client(slack, time, new TestLogs(), channelInterval: TimeSpan.FromSeconds(1));

        // The first post has the channel's slot now, the second the one a second later; the first's retry comes after
        // them, not squeezed in between.
        var first = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        var second = client.PostMessageAsync("C111", new SlackMessage("second"), null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => first.IsCompleted && second.IsCompleted, TimeSpan.FromMilliseconds(100));
        var results = await Task.WhenAll(first, second).WaitAsync(Wait);

        Assert.All(results, r => Assert.True(r.Ok, r.Error));
        var tries = slack.CallsTo("chat.postMessage").Where(c => c.Str("text") == "hi").ToList();
        Assert.Equal(2, tries.Count);
        Assert.True(tries[1].At >= Start + TimeSpan.FromSeconds(2), $"retry at {tries[1].At - Start}");
        Assert.Equal(2, slack.Posted.Snapshot().Count);
    }

    [Theory]
    [InlineData("http_500")]
    [InlineData("reset")]
    [InlineData("timeout")]
    public async Task A_post_Slack_processed_on_its_last_allowed_try_is_looked_for_and_reported_posted(string failure)
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(Start);
        slack.Clock = time;
        var last = failure switch
        {
            "http_500" => FakeResponse.ProcessedThen(500),
            "reset" => FakeResponse.ProcessedThenDropped(),
            _ => FakeResponse.ProcessedThenSlow(TimeSpan.FromSeconds(5)),
        };
        slack.Script("chat.postMessage", new FakeResponse(500, "oops"), new FakeResponse(502, "oops"), last);
        // A real HttpClient timeout, short so the test is quick, long enough that a check does not time out by itself.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var logs = new TestLogs();
        var client = TransientErrorRetryTests.Client(slack, time, logs, http);

        var result = await PostAsync(client, time);

        var bound = new SlackOptions().MaxTransientRetries;
        Assert.True(result.Ok, result.Error);
        Assert.Equal(slack.Messages[0].Ts, result.GetString("ts"));
        Assert.Single(slack.Posted.Snapshot());
        Assert.Equal(bound + 1, slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(bound + 1, slack.CallsTo("conversations.history").Count); // before each retry, and after the last try
        Assert.True(logs.Contains("but Slack had posted the message; not posting it again"), string.Join("\n", logs.Lines));
        Assert.DoesNotContain(logs.Lines, IsWarningOrError);
    }

    [Fact]
    public async Task Every_answer_post_carries_metadata_with_its_own_post_id_and_the_question_event_id()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1.1"));
        await link.SendAsync(Fixture.Mention("env-2", "Ev2", "why was the contract blocked?", ts: "2.2"));
        await host.Queue.WaitForCompletedAsync(2).WaitAsync(Wait);

        var posts = slack.CallsTo("chat.postMessage").OrderBy(c => c.Str("thread_ts")).ToList();
        Assert.Equal(2, posts.Count);
        var metadata = posts.Select(p => p.Body!["metadata"]!.AsObject()).ToList();
        Assert.All(metadata, m => Assert.Equal(SlackWebApiClient.AnswerEventType, m["event_type"]!.GetValue<string>()));
        Assert.Equal(["Ev1", "Ev2"], metadata.Select(m => m["event_payload"]!["question_id"]!.GetValue<string>()));
        var ids = metadata.Select(m => m["event_payload"]!["post_id"]!.GetValue<string>()).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task A_mention_whose_answer_Slack_posted_before_a_500_is_answered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", FakeResponse.ProcessedThen(500));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1610241741.000200"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var answer = Assert.Single(slack.Posted.Snapshot());
        Assert.Contains(FakeCaseBot.Quote004, answer.BlocksJson, StringComparison.Ordinal);
        Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Equal("1610241741.000200", Assert.Single(slack.CallsTo("conversations.replies")).Str("ts"));
        Assert.True(host.Logs.Contains("posted=True"), string.Join("\n", host.Logs.Lines));
    }

    [Fact]
    public async Task A_mention_whose_answer_Slack_posted_before_the_connection_was_reset_is_answered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", FakeResponse.ProcessedThenDropped());
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1610241741.000200"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var answer = Assert.Single(slack.Posted.Snapshot());
        Assert.Contains(FakeCaseBot.Quote004, answer.BlocksJson, StringComparison.Ordinal);
        Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Single(slack.CallsTo("conversations.replies"));
        Assert.True(host.Logs.Contains("posted=True"), string.Join("\n", host.Logs.Lines));
    }
}
