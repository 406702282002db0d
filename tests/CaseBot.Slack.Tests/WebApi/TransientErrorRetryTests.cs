using CaseBot.Core.Hosting;
using CaseBot.Slack.Options;
using CaseBot.Slack.Tests.Infrastructure;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Slack.Tests.WebApi;

/// <summary>
/// HTTP 500/502/503/504 and request timeouts on answer posts are retried a bounded number of times with a jittered
/// backoff (virtual time here), so a member's answer is not lost to one bad reply from Slack.
/// </summary>
public sealed class TransientErrorRetryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly SlackMessage Hello = new("hi");
    private const string Question = "why was the contract blocked?";

    internal static SlackWebApiClient Client(FakeSlack slack, TimeProvider time, TestLogs logs, HttpClient? http = null,
        TimeSpan? channelInterval = null)
    {
        var o = new SlackOptions
        {
            BotToken = SlackTestHost.BotToken,
            AppToken = SlackTestHost.AppToken,
            ApiBaseUrl = slack.ApiBaseUrl,
            ChannelMessageInterval = channelInterval ?? TimeSpan.Zero,
        };
        var factory = new LoggerFactory([logs]);
        return new SlackWebApiClient(new SingleClientFactory(http ?? Shared), Microsoft.Extensions.Options.Options.Create(o), time,
            factory.CreateLogger<SlackWebApiClient>(), NullBotMetrics.Instance);
    }

    private static readonly HttpClient Shared = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_server_error_then_success_posts_the_message_once(int status)
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Clock = time;
        slack.Script("chat.postMessage", new FakeResponse(status, Fixture.Text("web_api/fatal_error_body.json")));
        var logs = new TestLogs();
        var client = Client(slack, time, logs);

        var post = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => post.IsCompleted, TimeSpan.FromMilliseconds(100));
        var result = await post.WaitAsync(Wait);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("1503435956.000247", result.GetString("ts"));
        // The first request was refused by the 5xx; the second is the one post that went through.
        var calls = slack.CallsTo("chat.postMessage");
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].BodyJson, calls[1].BodyJson);
        Assert.True(calls[1].At > calls[0].At, "the retry waited a backoff");
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retry_takes_the_channels_next_send_slot_like_any_post()
    {
        await using var slack = await FakeSlack.StartAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var time = new FakeTimeProvider(start);
        slack.Clock = time;
        slack.Script("chat.postMessage", new FakeResponse(500, Fixture.Text("web_api/fatal_error_body.json")));
        var client = Client(slack, time, new TestLogs(), channelInterval: TimeSpan.FromSeconds(1));

        // The first post has the channel's slot now, the second the one a second later (both reserved before any
        // virtual time passes); the first's retry comes after them, not squeezed in between.
        var first = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        var second = client.PostMessageAsync("C111", new SlackMessage("second"), null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => first.IsCompleted && second.IsCompleted, TimeSpan.FromMilliseconds(100));
        await Task.WhenAll(first, second).WaitAsync(Wait);

        var tries = slack.CallsTo("chat.postMessage").Where(c => c.Str("text") == "hi").ToList();
        Assert.Equal(2, tries.Count);
        Assert.True(tries[1].At >= start + TimeSpan.FromSeconds(2), $"retry at {tries[1].At - start}");
    }

    [Fact]
    public async Task Bad_gateway_forever_gives_up_after_the_bound_with_one_warning()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Script("chat.postEphemeral", Enumerable.Range(0, 20).Select(_ => new FakeResponse(502, "<html>Bad Gateway</html>")).ToArray());
        slack.Script("chat.postMessage", Enumerable.Range(0, 20).Select(_ => new FakeResponse(502, "<html>Bad Gateway</html>")).ToArray());
        var logs = new TestLogs();
        var client = Client(slack, time, logs);

        var post = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => post.IsCompleted, TimeSpan.FromMilliseconds(100));
        var result = await post.WaitAsync(Wait); // no exception escapes
        var eph = client.PostEphemeralAsync("C111", "U1", Hello, null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => eph.IsCompleted, TimeSpan.FromMilliseconds(100));
        var ephResult = await eph.WaitAsync(Wait);

        var bound = new SlackOptions().MaxTransientRetries;
        Assert.Equal(2, bound);
        Assert.False(result.Ok);
        Assert.Equal("http_502", result.Error);
        Assert.Equal("http_502", ephResult.Error);
        Assert.Equal(bound + 1, slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(bound + 1, slack.CallsTo("chat.postEphemeral").Count);
        Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("chat.postMessage answered HTTP 502 after 3 attempt(s); giving up", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("chat.postEphemeral answered HTTP 502 after 3 attempt(s); giving up", StringComparison.Ordinal));
        Assert.Equal(2, logs.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(SlackTestHost.BotToken, StringComparison.Ordinal) || l.Contains("botsecretvalue", StringComparison.Ordinal));
        Assert.False(client.BotTokenRefused);
    }

    [Fact]
    public async Task A_reply_slower_than_the_client_timeout_is_retried_and_posted_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var slow = new HoldFirstPost();
        // A real HttpClient timeout: the first post hangs until the client gives up on it; the retry, answered at once,
        // has ample time even on a loaded machine.
        using var http = new HttpClient(slow) { Timeout = TimeSpan.FromSeconds(2) };
        var logs = new TestLogs();
        var client = Client(slack, time, logs, http);

        var post = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        await slow.Held.WaitAsync(Wait);
        await time.AdvanceUntilAsync(() => post.IsCompleted, TimeSpan.FromMilliseconds(100));
        var result = await post.WaitAsync(Wait);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, slow.Attempts);
        Assert.Single(slack.CallsTo("chat.postMessage")); // the timed-out request never reached Slack; the retry did
        Assert.True(logs.Contains("chat.postMessage failed (no answer in time); retrying"), string.Join("\n", logs.Lines));
    }

    [Theory]
    [InlineData("missing_scope")]
    [InlineData("not_allowed_token_type")]
    [InlineData("invalid_auth")]
    public async Task Permanent_errors_on_answer_posts_are_still_not_retried(string error)
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", Enumerable.Range(0, 5).Select(_ => FakeResponse.Ok($$"""{"ok":false,"error":"{{error}}"}""")).ToArray());
        var client = Client(slack, new FakeTimeProvider(), new TestLogs());

        var result = await client.PostMessageAsync("C111", Hello, null, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(error, result.Error);
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_stop_during_the_backoff_ends_the_post_as_a_cancellation_without_more_attempts()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Script("chat.postMessage", new FakeResponse(500, "oops"));
        var client = Client(slack, time, new TestLogs());
        using var stopping = new CancellationTokenSource();

        var post = client.PostMessageAsync("C111", Hello, null, stopping.Token);
        await slack.Calls.WaitForAsync(c => c.Method == "chat.postMessage");
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post.WaitAsync(Wait));
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_member_answer_survives_a_500_on_chat_postMessage()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", new FakeResponse(500, Fixture.Text("web_api/fatal_error_body.json")));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var calls = slack.ChatCalls();
        Assert.Equal(2, calls.Count); // the refused one and the one post
        Assert.All(calls, c => Assert.Equal("chat.postMessage", c.Method));
        Assert.Contains(FakeCaseBot.Quote004, calls[1].BlocksJson, StringComparison.Ordinal);
        Assert.True(host.Logs.Contains("posted=True"), string.Join("\n", host.Logs.Lines));
    }

    private sealed class SingleClientFactory(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }

    /// <summary>Holds the first chat.postMessage until the HttpClient's own timeout cancels it; sends the rest on.</summary>
    private sealed class HoldFirstPost() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attempts;

        public Task Held => _held.Task;
        public int Attempts => Volatile.Read(ref _attempts);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/chat.postMessage", StringComparison.Ordinal))
                return await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _attempts) == 1)
            {
                _held.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
