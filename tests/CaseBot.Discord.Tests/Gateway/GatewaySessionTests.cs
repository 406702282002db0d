using System.Text.Json.Nodes;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CaseBot.Discord.Tests.Gateway;

public sealed class GatewaySessionTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Start_registers_commands_gets_the_gateway_url_and_identifies_with_version_json_and_intents()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (connection, identify) = await rig.ConnectAsync();

        var requests = rig.Fake.Requests;
        Assert.Equal("PUT", requests[0].Method);
        Assert.Equal($"/applications/{DiscordTestRig.ApplicationId}/guilds/{Events.GuildId}/commands", requests[0].Path);
        Assert.Equal("GET", requests[1].Method);
        Assert.Equal("/gateway/bot", requests[1].Path);
        Assert.Equal("/gateway", connection.Path);
        Assert.Equal("?v=10&encoding=json", connection.Query);

        var fixture = Fixture.Json("gateway/op2_identify_minimal_client.json");
        Assert.Equal(KeysOf(fixture["d"]!), KeysOf(identify["d"]!)); // same shape as the documented minimal Identify
        Assert.Equal(DiscordTestRig.Token, (string)identify["d"]!["token"]!);
        var intents = (int)identify["d"]!["intents"]!;
        Assert.Equal((1 << 0) | (1 << 9) | (1 << 12), intents);
        Assert.Equal(0, intents & (1 << 15)); // MESSAGE_CONTENT is privileged: not asked for unless configured
        Assert.True(rig.Adapter.IsConnected);
    }

    [Fact]
    public async Task Shard_and_message_content_intent_are_sent_when_configured_and_commands_go_global_without_a_guild()
    {
        await using var rig = await DiscordTestRig.StartAsync(s =>
        {
            s["Discord:GuildId"] = null;
            s["Discord:ShardId"] = "1";
            s["Discord:ShardCount"] = "2";
            s["Discord:MessageContentIntent"] = "true";
        }, start: false);
        rig.Fake.MaxConcurrency = 2; // shard 1 is in its own Identify bucket: no wait (ShardIdentifyTests pins the waits)
        await rig.Host.StartAsync().WaitAsync(Wait.Default);
        var (_, identify) = await rig.ConnectAsync();

        Assert.Equal("[1,2]", identify["d"]!["shard"]!.ToJsonString());
        Assert.NotEqual(0, (int)identify["d"]!["intents"]! & (1 << 15));
        Assert.Equal($"/applications/{DiscordTestRig.ApplicationId}/commands", rig.Fake.Requests[0].Path);
    }

    [Fact]
    public async Task First_heartbeat_is_jittered_then_every_interval_and_carries_the_last_sequence()
    {
        await using var rig = await DiscordTestRig.StartAsync(jitter: 0.25);
        var (connection, _) = await rig.ConnectAsync();
        var start = rig.Clock.GetUtcNow();

        rig.Clock.Advance(TimeSpan.FromMilliseconds(45000 * 0.25 - 1));
        rig.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var first = await connection.ExpectOpAsync(1);
        // Sent on the virtual clock's tick of the jittered first beat, not one step earlier.
        var firstIndex = connection.Received.ToList().FindIndex(f => (int?)f["op"] == 1);
        Assert.Equal(TimeSpan.FromMilliseconds(45000 * 0.25), connection.ReceivedAt[firstIndex] - start);
        Assert.Equal(1, (long)first["d"]!); // READY was s = 1
        Assert.Equal(KeysOf(Fixture.Json("gateway/op1_heartbeat_client.json")), KeysOf(first));

        await connection.SendAsync(Events.Dispatch("TYPING_START", 2, new JsonObject()));
        await Wait.UntilAsync(() => rig.Gateway.LastSequence == 2);
        await rig.Clock.AdvanceUntilAsync(() => connection.Received.Count(f => (int?)f["op"] == 1) >= 2, Step);
        var second = connection.Received.Where(f => (int?)f["op"] == 1).ElementAt(1);
        Assert.Equal(2, (long)second["d"]!);
        Assert.InRange(rig.Clock.GetUtcNow() - start, TimeSpan.FromSeconds(11.25 + 45), TimeSpan.FromSeconds(11.25 + 45) + Step);
    }

    [Fact]
    public async Task Heartbeat_request_from_the_server_is_answered_at_once()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (connection, _) = await rig.ConnectAsync();

        await connection.SendAsync("""{"op":1,"d":null}""");
        var beat = await connection.ExpectOpAsync(1);

        Assert.Equal(1, (long)beat["d"]!);
    }

    [Fact]
    public async Task Heartbeat_without_ack_resumes_with_last_sequence()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        rig.Fake.AutoAck = false;
        var (first, _) = await rig.ConnectAsync();
        await first.SendAsync(Events.Dispatch("TYPING_START", 2, new JsonObject()));
        await first.SendAsync(Events.Dispatch("TYPING_START", 3, new JsonObject()));
        await Wait.UntilAsync(() => rig.Gateway.LastSequence == 3);

        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 2, Step);

        var second = rig.Fake.Connections[1];
        await first.WaitClosedAsync();
        Assert.Equal(4000, first.ClientCloseCode); // not 1000/1001, which would end the session
        Assert.Equal("/resume", second.Path);
        Assert.Equal("?v=10&encoding=json", second.Query);
        await second.SendAsync(Events.Hello());
        var resume = await second.ExpectOpAsync(6);
        Assert.Equal(KeysOf(Fixture.Json("gateway/op6_resume_client.json")["d"]!), KeysOf(resume["d"]!));
        Assert.Equal(3, (long)resume["d"]!["seq"]!);
        Assert.Equal("session-1", (string)resume["d"]!["session_id"]!);
        Assert.Equal(DiscordTestRig.Token, (string)resume["d"]!["token"]!);
        Assert.Single(rig.Fake.Requests, r => r.Path == "/gateway/bot"); // resumed, not a new session
        Assert.True(rig.Logs.Contains(LogLevel.Warning, "zombie"));
    }

    [Fact]
    public async Task Op7_reconnect_closes_resumably_and_resumes_on_the_resume_url()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();

        await first.SendAsync(Fixture.Json("gateway/op7_reconnect.json"));
        var second = await rig.Fake.WaitForConnectionAsync(1);
        await second.SendAsync(Events.Hello());
        var resume = await second.ExpectOpAsync(6);
        await second.SendAsync(Events.Resumed(2));

        await first.WaitClosedAsync();
        Assert.Equal(4000, first.ClientCloseCode);
        Assert.Equal("/resume", second.Path);
        Assert.Equal(1, (long)resume["d"]!["seq"]!);
        await Wait.UntilAsync(() => rig.Adapter.IsConnected);
    }

    [Fact]
    public async Task Repeated_reconnect_requests_before_resumed_are_backed_off()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();
        await first.SendAsync(Fixture.Json("gateway/op7_reconnect.json"));
        var second = await rig.Fake.WaitForConnectionAsync(1);
        await second.SendAsync(Events.Hello());
        await second.ExpectOpAsync(6);
        var askedAt = rig.Clock.GetUtcNow();

        var reconnects = rig.Metrics.Reconnects;
        await second.SendAsync(Fixture.Json("gateway/op7_reconnect.json")); // again, before RESUMED
        await second.WaitClosedAsync();
        await Wait.UntilAsync(() => rig.Metrics.Reconnects > reconnects); // counted as it starts waiting out the backoff
        Assert.Equal(2, rig.Fake.Connections.Count);
        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 3, TimeSpan.FromMilliseconds(100));

        Assert.InRange(rig.Fake.Connections[2].ConnectedAt - askedAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.1));
    }

    [Fact]
    public async Task Op9_resumable_resumes_the_session()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();

        var invalid = Fixture.Object("gateway/op9_invalid_session.json");
        invalid["d"] = true;
        await first.SendAsync(invalid);
        var second = await rig.Fake.WaitForConnectionAsync(1);
        await second.SendAsync(Events.Hello());
        var resume = await second.ExpectOpAsync(6);

        Assert.Equal("/resume", second.Path);
        Assert.Equal(1, (long)resume["d"]!["seq"]!);
    }

    [Fact]
    public async Task Op9_not_resumable_waits_one_to_five_seconds_then_identifies_anew_on_the_gateway_url()
    {
        await using var rig = await DiscordTestRig.StartAsync(jitter: 0.1);
        var (first, _) = await rig.ConnectAsync();
        rig.Clock.Advance(TimeSpan.FromSeconds(10)); // well past the 5 s Identify spacing
        await first.ExpectOpAsync(1); // the jittered first heartbeat went at 4.5 s
        var invalidAt = rig.Clock.GetUtcNow();

        await first.SendAsync(Fixture.Json("gateway/op9_invalid_session.json"));
        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 2, TimeSpan.FromMilliseconds(100));
        var second = rig.Fake.Connections[1];
        await second.SendAsync(Events.Hello());
        var identify = await second.ExpectOpAsync(2);

        Assert.Equal("/gateway", second.Path);
        Assert.Equal(2, rig.Fake.Requests.Count(r => r.Path == "/gateway/bot")); // a fresh Get Gateway Bot
        Assert.InRange(second.ConnectedAt - invalidAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5.1));
        Assert.Equal(DiscordTestRig.Token, (string)identify["d"]!["token"]!);
        Assert.DoesNotContain(second.Received, f => (int?)f["op"] == 6);
    }

    [Fact]
    public async Task Close_4004_stops_the_adapter_without_retrying()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();

        await first.CloseAsync(4004, "Authentication failed.");
        await rig.Adapter.ExecuteTask!.WaitAsync(Wait.Default); // returned: no retry loop is left to run

        Assert.Single(rig.Fake.Connections);
        Assert.Single(rig.Fake.Requests, r => r.Path == "/gateway/bot");
        Assert.False(rig.Adapter.IsConnected);
        Assert.Equal(4004, rig.Gateway.FatalCloseCode);
        Assert.True(rig.Adapter.Failed);
        Assert.Contains(rig.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("4004") && e.Message.Contains("token"));
    }

    [Fact]
    public async Task A_rejected_token_at_start_stops_the_adapter_without_connecting_or_retrying()
    {
        await using var rig = await DiscordTestRig.StartAsync(start: false);
        rig.Fake.RespondOnce(r => r.Method == "PUT", new FakeResponse(401, """{"message": "401: Unauthorized", "code": 0}"""));

        await rig.Host.StartAsync().WaitAsync(Wait.Default);
        await rig.Adapter.ExecuteTask!.WaitAsync(Wait.Default); // returned: no retry loop is left to run

        Assert.Single(rig.Fake.Requests);
        Assert.Empty(rig.Fake.Connections);
        Assert.True(rig.Adapter.Failed);
        Assert.True(rig.Logs.Contains(LogLevel.Critical, "Discord__Token"));
    }

    [Fact]
    public async Task A_403_from_get_gateway_bot_stops_the_adapter_instead_of_retrying()
    {
        await using var rig = await DiscordTestRig.StartAsync(start: false);
        rig.Fake.RespondOnce(r => r.Method == "GET" && r.Path == "/gateway/bot", new FakeResponse(403, """{"message": "Missing Access", "code": 50001}"""));

        await rig.Host.StartAsync().WaitAsync(Wait.Default);
        await rig.Adapter.ExecuteTask!.WaitAsync(Wait.Default); // returned: no retry loop is left to run

        Assert.Single(rig.Fake.Requests, r => r.Path == "/gateway/bot");
        Assert.Empty(rig.Fake.Connections);
        Assert.True(rig.Adapter.Failed);
        Assert.True(rig.Logs.Contains(LogLevel.Critical, "403"));
    }

    [Theory]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task Other_fatal_close_codes_stop_without_retrying(int code)
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();

        await first.CloseAsync(code, "fatal");
        await rig.Adapter.ExecuteTask!.WaitAsync(Wait.Default); // returned: no retry loop is left to run

        Assert.Single(rig.Fake.Connections);
        Assert.Equal(code, rig.Gateway.FatalCloseCode);
    }

    [Fact]
    public async Task A_resumable_close_code_reconnects_with_backoff_and_resumes()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();
        var closedAt = rig.Clock.GetUtcNow();

        await first.CloseAsync(4000, "Unknown error");
        await Wait.UntilAsync(() => rig.Metrics.Reconnects > 0); // counted as it starts waiting out the backoff
        Assert.Single(rig.Fake.Connections); // backoff: not at once
        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 2, TimeSpan.FromMilliseconds(100));
        var second = rig.Fake.Connections[1];
        await second.SendAsync(Events.Hello());
        await second.ExpectOpAsync(6);

        Assert.InRange(second.ConnectedAt - closedAt, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.1));
    }

    [Fact]
    public async Task Close_4009_session_timed_out_identifies_anew()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();

        await first.CloseAsync(4009, "Session timed out");
        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 2, Step);
        var second = rig.Fake.Connections[1];
        await second.SendAsync(Events.Hello());
        await second.ExpectOpAsync(2);

        Assert.Equal("/gateway", second.Path);
    }

    [Fact]
    public async Task A_connection_that_never_says_hello_is_dropped_and_retried()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var first = await rig.Fake.WaitForConnectionAsync(0);

        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 2, TimeSpan.FromSeconds(1));

        await first.WaitClosedAsync();
        Assert.True(rig.Fake.Connections[1].ConnectedAt - first.ConnectedAt >= TimeSpan.FromSeconds(30));
        Assert.True(rig.Logs.Contains(LogLevel.Warning, "No Hello"));
    }

    [Fact]
    public async Task Dropped_socket_resumes_and_no_event_is_answered_twice_or_lost()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();
        await first.SendAsync(Events.Mention(2, "7001", "why was it blocked?"));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));

        first.Abort(); // TCP drop, no close frame
        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count == 2, TimeSpan.FromMilliseconds(250));
        var second = rig.Fake.Connections[1];
        await second.SendAsync(Events.Hello());
        var resume = await second.ExpectOpAsync(6);
        Assert.Equal(2, (long)resume["d"]!["seq"]!);
        // Replay: an event the client already handled, then the one it missed while disconnected, then RESUMED.
        await second.SendAsync(Events.Mention(2, "7001", "why was it blocked?"));
        await second.SendAsync(Events.Mention(3, "7002", "who blocked it?"));
        await second.SendAsync(Events.Resumed(4));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages") && r.Body.Contains("7002"));
        await rig.StopAsync();

        var answered = rig.Replies.Select(r => (string)r.Json!["message_reference"]!["message_id"]!).OrderBy(id => id).ToList();
        Assert.Equal(["7001", "7002"], answered);
        Assert.True(rig.Metrics.Reconnects >= 1);
    }

    [Fact]
    public async Task Malformed_and_unknown_frames_are_logged_and_skipped_with_the_connection_kept()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (connection, _) = await rig.ConnectAsync();

        await connection.SendAsync("this is not json {");
        await connection.SendAsync("[1, 2, 3]");
        await connection.SendAsync("""{"op":99,"d":{}}""");
        await connection.SendAsync("""{"op":10,"d":{"heartbeat_interval":"soon"}}""");
        await connection.SendAsync(Events.Dispatch("SOMETHING_NEW", 2, new JsonObject { ["x"] = 1 }));
        await connection.SendAsync(Events.Dispatch("MESSAGE_CREATE", 3, new JsonObject()));
        await connection.SendAsync(Events.Mention(4, "8001", "why was it blocked?"));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));

        Assert.Single(rig.Fake.Connections);
        Assert.False(connection.IsClosed);
        Assert.True(rig.Adapter.IsConnected);
        Assert.True(rig.Logs.Contains(LogLevel.Warning, "malformed gateway frame"));
        Assert.True(rig.Logs.Contains(LogLevel.Warning, "unknown op 99"));
        Assert.True(rig.Logs.Contains(LogLevel.Warning, "could not be read"));
        Assert.Single(rig.Replies);
    }

    private static string[] KeysOf(JsonNode node) => node.AsObject().Select(p => p.Key).Order().ToArray();
}
