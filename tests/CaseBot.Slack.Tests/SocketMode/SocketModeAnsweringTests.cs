using CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>Mentions, DMs and /casebot over a real loopback Socket Mode WebSocket, fed with the official envelopes.</summary>
public sealed class SocketModeAnsweringTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Mention_is_answered_once_in_its_thread_citing_the_document()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1610241741.000200"));
        await link.WaitForAckAsync("env-1");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postMessage", reply.Method);
        Assert.Equal("C111", reply.Str("channel"));
        Assert.Equal("1610241741.000200", reply.Str("thread_ts"));
        Assert.Contains("[004]", reply.BlocksJson);
        Assert.Contains(FakeCaseBot.Title004, reply.BlocksJson);
        Assert.Contains(FakeCaseBot.Quote004, reply.Str("text"));
        Assert.Equal("Bearer " + SlackTestHost.BotToken, reply.Authorization);
        Assert.Equal(["why was the contract blocked?"], bot.Questions);
    }

    [Fact]
    public async Task Mention_inside_a_thread_is_answered_in_that_thread()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        var env = Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1610241800.000900");
        env["payload"]!["event"]!["thread_ts"] = "1610241741.000200";
        await link.SendAsync(env);
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Equal("1610241741.000200", Assert.Single(slack.ChatCalls()).Str("thread_ts"));
    }

    [Fact]
    public async Task Direct_message_is_answered_once_in_the_DM()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.DirectMessage("env-1", "Ev1", "why was the contract blocked?", channel: "D0DM1"));
        await link.WaitForAckAsync("env-1");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postMessage", reply.Method);
        Assert.Equal("D0DM1", reply.Str("channel"));
        Assert.Null(reply.Str("thread_ts"));
        Assert.Contains("[004]", reply.BlocksJson);
    }

    [Fact]
    public async Task Channel_message_without_a_mention_is_acked_but_not_answered()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        // The fixture as published: a channel message (mentions are answered via app_mention, not twice).
        await link.SendAsync(Fixture.Text("socket_mode/events_api_message_channel_envelope.json"));
        await link.WaitForAckAsync("ac2cfd40-6f8c-4d5e-a1ad-646e532baa19");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Empty(slack.ChatCalls());
        Assert.Empty(bot.Questions);
    }

    [Fact]
    public async Task Slash_command_question_is_answered_once_in_the_channel_showing_the_asker()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "why was the contract blocked?", user: "U0ASKER"));
        var ack = await link.WaitForAckAsync("env-1");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Null(ack["payload"]);
        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postMessage", reply.Method);
        Assert.Equal("C111", reply.Str("channel"));
        Assert.Null(reply.Str("thread_ts"));
        Assert.Contains("<@U0ASKER> asked: why was the contract blocked?", reply.BlocksJson);
        Assert.Contains("[004]", reply.BlocksJson);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("")]
    public async Task Slash_help_comes_back_ephemeral_in_the_ack(string text)
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", text));
        var ack = await link.WaitForAckAsync("env-1");

        Assert.Equal("ephemeral", ack["payload"]?["response_type"]?.GetValue<string>());
        Assert.Contains("/casebot", ack["payload"]!["text"]!.GetValue<string>());
        // A later envelope is fully handled, and still nothing was posted for the help request.
        await link.SendAsync(Fixture.Text("socket_mode/events_api_message_channel_envelope.json"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        Assert.Empty(slack.ChatCalls());
        Assert.Empty(bot.Questions);
    }

    [Fact]
    public async Task Slash_reindex_by_a_moderator_reindexes_and_reports_ephemerally()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "reindex", user: "U0MOD2"));
        var ack = await link.WaitForAckAsync("env-1");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Equal("ephemeral", ack["payload"]?["response_type"]?.GetValue<string>());
        Assert.Equal(["slack:U0MOD2"], bot.Reindexes);
        var report = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postEphemeral", report.Method);
        Assert.Equal("U0MOD2", report.Str("user"));
        Assert.Contains("Reindexed 2 documents", report.Str("text"));
    }

    [Fact]
    public async Task Slash_reindex_by_anyone_else_is_refused_ephemerally_without_reindexing()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "reindex", user: "U0NOBODY"));
        var ack = await link.WaitForAckAsync("env-1");

        Assert.Equal("ephemeral", ack["payload"]?["response_type"]?.GetValue<string>());
        Assert.Contains("moderators", ack["payload"]!["text"]!.GetValue<string>());
        await link.SendAsync(Fixture.Text("socket_mode/events_api_message_channel_envelope.json"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        Assert.Empty(bot.Reindexes);
        Assert.Empty(slack.ChatCalls());
    }

    [Fact]
    public async Task Unusable_question_gets_usage_help_only_the_asker_sees()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "???"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postEphemeral", reply.Method);
        Assert.Equal("U222", reply.Str("user"));
        Assert.Contains("/casebot", reply.Str("text"));
    }

    [Fact]
    public async Task Every_envelope_is_acked_before_its_answer_is_computed_or_posted()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        bot.Hold(); // the engine does not answer until the test has seen every ack
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-m", "EvM", "why was the contract blocked?"));
        await link.SendAsync(Fixture.DirectMessage("env-d", "EvD", "why was the contract blocked?"));
        await link.SendAsync(Fixture.Slash("env-s", "why was the contract blocked?"));
        await link.Acks.WaitForCountAsync(_ => true, 3);
        Assert.Empty(slack.ChatCalls());

        bot.Release();
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        var log = slack.Log.Snapshot();
        var posts = log.Where(e => e.What == "call:chat.postMessage").Select(e => e.Seq).ToList();
        Assert.Equal(3, posts.Count);
        var lastAck = log.Where(e => e.What.StartsWith("ack:", StringComparison.Ordinal)).Max(e => e.Seq);
        Assert.All(posts, p => Assert.True(p > lastAck, $"post #{p} came before ack #{lastAck}"));
    }

    [Fact]
    public async Task Corpus_quote_containing_channel_mention_is_posted_escaped()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "who told the channel?"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var reply = Assert.Single(slack.ChatCalls());
        var sent = reply.BodyJson;
        Assert.DoesNotContain("<!channel>", sent);
        Assert.DoesNotContain("<@U999>", sent);
        Assert.Contains("&lt;!channel&gt; &amp; &lt;@U999&gt;", reply.Str("text"));
        Assert.Contains("&lt;!channel&gt;", sent);
    }
}
