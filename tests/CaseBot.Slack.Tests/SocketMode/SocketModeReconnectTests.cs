using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>Disconnects, drops and redeliveries over the real loopback WebSocket.</summary>
public sealed class SocketModeReconnectTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Question = "why was the contract blocked?";

    [Fact]
    public async Task Refresh_disconnect_opens_the_new_link_before_closing_the_old_and_loses_nothing()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AutoHello = n => n == 1; // the test decides when link 2 is ready
        var metrics = new RecordingMetrics();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), services: s => s.AddSingleton<IBotMetrics>(metrics));
        var link1 = await slack.NextLinkAsync();

        var e1 = Fixture.Mention("env-1", "Ev1", Question, ts: "1.1");
        await link1.SendAsync(e1);
        await link1.WaitForAckAsync("env-1");
        await link1.SendAsync(Fixture.Disconnect("refresh_requested"));

        var link2 = await slack.NextLinkAsync();
        // Link 2 is not ready yet: link 1 must still be open and still delivering.
        Assert.False(link1.Closed.IsCompleted);
        var e2 = Fixture.Mention("env-2", "Ev2", Question, ts: "2.2");
        await link1.SendAsync(e2);
        await link1.WaitForAckAsync("env-2");

        await link2.SendHelloAsync();
        await link1.Closed.WaitAsync(Wait);
        // Slack redelivers E2 on the new link (as if its ack had been lost), then a new event.
        await link2.SendAsync(Fixture.Redelivery(e2, "env-2b"));
        await link2.SendAsync(Fixture.Mention("env-3", "Ev3", Question, ts: "3.3"));
        await link2.WaitForAckAsync("env-3");
        await host.Queue.WaitForCompletedAsync(4).WaitAsync(Wait);

        var threads = slack.ChatCalls().Select(c => c.Str("thread_ts")).Order().ToList();
        Assert.Equal(["1.1", "2.2", "3.3"], threads);
        Assert.Equal(2, host.Client.ConnectionsOpened);
        await host.WaitConnectedAsync();
        // The reconnect is counted once the new link is live, which may trail the link swap by a moment.
        await TestSupport.Wait.UntilAsync(() => metrics.Reconnects > 0);
        Assert.Equal(1, metrics.Reconnects);
    }

    [Fact]
    public async Task Dropped_socket_reconnects_and_each_event_is_answered_exactly_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link1 = await slack.NextLinkAsync();

        var e1 = Fixture.Mention("env-1", "Ev1", Question, ts: "1.1");
        await link1.SendAsync(e1);
        await link1.WaitForAckAsync("env-1");
        var e2 = Fixture.Mention("env-2", "Ev2", Question, ts: "2.2");
        await link1.SendAsync(e2);
        link1.Abort(); // E2 may or may not have been read and acked

        var link2 = await slack.NextLinkAsync();
        // Slack redelivers what it is unsure of: E2, and (retry) E1 too.
        await link2.SendAsync(Fixture.Redelivery(e2, "env-2b"));
        await link2.SendAsync(Fixture.Redelivery(e1, "env-1b"));
        await link2.WaitForAckAsync("env-1b");
        // At least E1 (link 1) and both redeliveries are handled; E2 may also have been handled on link 1.
        await slack.Calls.WaitForCountAsync(c => c.Method == "chat.postMessage", 2);
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        var threads = slack.ChatCalls().Select(c => c.Str("thread_ts")).Order().ToList();
        Assert.Equal(["1.1", "2.2"], threads);
        Assert.Equal(2, host.Client.ConnectionsOpened);
    }

    [Fact]
    public async Task Too_many_websockets_closes_the_link_before_opening_another()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link1 = await slack.NextLinkAsync();

        await link1.SendAsync(Fixture.Text("socket_mode/disconnect_too_many_websockets.json"));
        var link2 = await slack.NextLinkAsync();
        await link1.Closed.WaitAsync(Wait);

        var log = slack.Log.Snapshot();
        var closed1 = log.Single(e => e.What == "link-1").Seq;
        var opened2 = log.Single(e => e.What == "link+2").Seq;
        Assert.True(closed1 < opened2, "link 1 must be closed before link 2 is opened");
        await link2.SendAsync(Fixture.Mention("env-1", "Ev1", Question));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        Assert.Single(slack.ChatCalls());
    }

    [Fact]
    public async Task Link_disabled_stops_the_client_without_reconnecting()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link1 = await slack.NextLinkAsync();
        await host.WaitConnectedAsync();

        await link1.SendAsync(Fixture.Disconnect("link_disabled"));
        await host.Execution.WaitAsync(Wait);

        Assert.Single(slack.CallsTo("apps.connections.open"));
        Assert.Contains("link_disabled", host.Client.StopReason);
        Assert.False(host.Adapter.IsConnected);
        Assert.True(host.Logs.Contains("link_disabled"));
    }

    [Fact]
    public async Task Refused_app_token_stops_without_retrying()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("apps.connections.open", FakeResponse.Ok("""{"ok":false,"error":"invalid_auth"}"""));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());

        await host.Execution.WaitAsync(Wait);

        Assert.Single(slack.CallsTo("apps.connections.open"));
        Assert.Contains("invalid_auth", host.Client.StopReason);
        Assert.False(host.Adapter.IsConnected);
    }

    [Fact]
    public async Task Refused_bot_token_stops_before_connecting()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("auth.test", FakeResponse.Ok("""{"ok":false,"error":"account_inactive"}"""));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());

        await host.Execution.WaitAsync(Wait);

        Assert.Single(slack.CallsTo("auth.test"));
        Assert.Empty(slack.CallsTo("apps.connections.open"));
        Assert.False(host.Adapter.IsConnected);
    }

    [Fact]
    public async Task Failed_connection_open_is_retried_with_backoff()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("apps.connections.open",
            new FakeResponse(500, "oops"),
            FakeResponse.Ok("""{"ok":false,"error":"internal_error"}"""));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());

        var link = await slack.NextLinkAsync();

        Assert.Equal(3, slack.CallsTo("apps.connections.open").Count);
        Assert.True(host.Logs.Contains("retry 2"));
        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        Assert.Single(slack.ChatCalls());
    }

    [Fact]
    public async Task Malformed_frame_is_logged_and_skipped_with_the_connection_kept()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync("{\"envelope_id\": \"broken\", \"payload\": {");
        await link.SendAsync("[1, 2, 3]");
        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question));
        await link.WaitForAckAsync("env-1");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Single(slack.ChatCalls());
        Assert.Single(link.Acks.Snapshot());
        Assert.Equal(1, host.Client.ConnectionsOpened);
        Assert.False(link.Closed.IsCompleted);
        Assert.Equal(2, host.Logs.Lines.Count(l => l.Contains("malformed frame skipped", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Envelopes_with_unknown_types_and_extra_fields_are_acked()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Text("socket_mode/interactive_shortcut_envelope.json"));
        var ack = await link.WaitForAckAsync("57d6a792-4d35-4d0b-b6aa-3361493e1caf");

        Assert.Null(ack["payload"]);
        Assert.Equal(1, host.Client.ConnectionsOpened);
    }

    [Fact]
    public async Task Bot_messages_and_own_messages_are_ignored()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        var fromBot = Fixture.DirectMessage("env-1", "Ev1", Question);
        fromBot["payload"]!["event"]!["bot_id"] = "B999";
        var botMessage = Fixture.DirectMessage("env-2", "Ev2", Question);
        botMessage["payload"]!["event"]!["subtype"] = "bot_message";
        var edited = Fixture.DirectMessage("env-3", "Ev3", Question);
        edited["payload"]!["event"]!["subtype"] = "message_changed";
        var own = Fixture.DirectMessage("env-4", "Ev4", Question, user: "U111"); // auth.test says CaseBot is U111
        var botMention = Fixture.Mention("env-5", "Ev5", Question);
        botMention["payload"]!["event"]!["bot_id"] = "B111";
        var human = Fixture.DirectMessage("env-6", "Ev6", Question, user: "U0HUMAN");
        foreach (var e in new[] { fromBot, botMessage, edited, own, botMention, human }) await link.SendAsync(e);
        await host.Queue.WaitForCompletedAsync(6).WaitAsync(Wait);

        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("D111", reply.Str("channel"));
        Assert.Single(bot.Questions);
    }

    [Fact]
    public async Task Tokens_never_appear_in_logs()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", FakeResponse.Ok("""{"ok":false,"error":"invalid_auth"}"""));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();
        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        link.Abort();
        await slack.NextLinkAsync();

        Assert.True(host.Logs.Lines.Count > 5);
        Assert.True(host.Logs.Contains("invalid_auth"));
        foreach (var secret in new[] { SlackTestHost.AppToken, SlackTestHost.BotToken, "appsecretvalue", "botsecretvalue", "ticket=" })
            Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

}

/// <summary>Ping/pong liveness on the real ClientWebSocket.</summary>
public sealed class SocketModeQuietLinkTests
{
    [Fact]
    public async Task Quiet_link_that_stops_answering_pings_is_replaced()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var silent = new SilentWebSocketServer();
        slack.LinkUrl = n => n == 1 ? silent.Url : null;
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), s =>
        {
            s["Slack:PingInterval"] = "00:00:00.200";
            s["Slack:PongTimeout"] = "00:00:00.300";
        });

        await silent.Accepted.WaitAsync(TimeSpan.FromSeconds(10));
        var link = await slack.NextLinkAsync();

        Assert.Equal(2, slack.CallsTo("apps.connections.open").Count);
        Assert.True(host.Logs.Contains("link #1 dropped"));
        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(slack.ChatCalls());
    }
}
