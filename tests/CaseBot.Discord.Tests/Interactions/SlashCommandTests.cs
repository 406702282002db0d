using System.Text.Json.Nodes;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Discord.Tests.Interactions;

public sealed class SlashCommandTests
{
    private const int Ephemeral = 1 << 6;

    [Fact]
    public async Task Commands_are_registered_by_bulk_overwrite_with_reindex_limited_to_manage_server()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var put = await rig.Fake.WaitForRequestAsync(r => r.Method == "PUT");

        var commands = put.Json!.AsArray();
        Assert.Equal(["ask", "source", "reindex"], commands.Select(c => (string)c!["name"]!));
        var reindex = commands.Single(c => (string)c!["name"]! == "reindex")!;
        Assert.Equal("32", (string)reindex["default_member_permissions"]!);
        Assert.Null(commands.Single(c => (string)c!["name"]! == "ask")!["default_member_permissions"]);
        var documented = Fixture.Json("interactions/command_definition_blep.json");
        var ask = commands[0]!;
        Assert.Equal((int)documented["type"]!, (int)ask["type"]!);
        Assert.Equal((int)documented["options"]![0]!["type"]!, (int)ask["options"]![0]!["type"]!); // STRING
        Assert.True((bool)ask["options"]![0]!["required"]!);
    }

    [Fact]
    public async Task Slash_ask_gets_one_public_type_4_answer_citing_the_right_document()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("ask", "question", "Why did the mayor block the contract?")));
        var callback = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/callback"));
        await rig.StopAsync();

        Assert.Equal("/interactions/786008729715212338/A_UNIQUE_TOKEN/callback", callback.Path);
        var body = callback.Json!;
        Assert.Equal(4, (int)body["type"]!);
        var content = (string)body["data"]!["content"]!;
        Assert.Contains("[004]", content);
        Assert.Contains(FakeCaseBot.BlockedTitle, content);
        Assert.Equal(0, (int)body["data"]!["flags"]! & Ephemeral);
        Assert.Equal("""{"parse":[]}""", body["data"]!["allowed_mentions"]!.ToJsonString());
        Assert.NotEqual(Fixture.Json("rest/allowed_mentions_default_interactions.json").ToJsonString(), body["data"]!["allowed_mentions"]!.ToJsonString());
        Assert.False(callback.Headers.ContainsKey("Authorization")); // callbacks authenticate by their token
        Assert.Single(rig.Callbacks);
        Assert.DoesNotContain(rig.Fake.Requests, r => r.Method == "PATCH");
        Assert.Single(rig.Metrics.Answers);
    }

    [Fact]
    public async Task A_slow_answer_takes_the_deferred_path_and_edits_the_original_response()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();
        rig.Bot.Hold();
        var sentAt = rig.Clock.GetUtcNow();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("ask", "question", "why was it blocked?", token: "SLOW_TOKEN")));
        await Wait.UntilAsync(() => rig.Bot.Asks == 1);
        await rig.Clock.AdvanceUntilAsync(() => rig.Callbacks.Count == 1, TimeSpan.FromMilliseconds(100));
        var deferred = rig.Callbacks[0];
        Assert.Equal(5, (int)deferred.Json!["type"]!);
        Assert.InRange(deferred.At - sentAt, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.1)); // inside Discord's 3 s
        Assert.Null(deferred.Json!["data"]?["flags"]); // public: the answer will be seen by the channel

        rig.Bot.Release();
        var edit = await rig.Fake.WaitForRequestAsync(r => r.Method == "PATCH");
        Assert.Equal($"/webhooks/{DiscordTestRig.ApplicationId}/SLOW_TOKEN/messages/@original", edit.Path);
        Assert.Contains("[004]", (string)edit.Json!["content"]!);
        Assert.Equal("""{"parse":[]}""", edit.Json!["allowed_mentions"]!.ToJsonString());
        await rig.StopAsync();
        Assert.Single(rig.Callbacks);
    }

    // Found by GatewayFaultInjectionTests: a deferral callback whose reply came too late (HttpClient timeout) threw
    // out of the handler, so the answer was never edited in and the asker was left on "thinking…".
    [Fact]
    public async Task A_deferral_callback_that_times_out_still_gets_the_answer_edited_in()
    {
        var timeouts = new TimeoutOnce.State(r => r.RequestUri!.AbsolutePath.EndsWith("/callback", StringComparison.Ordinal));
        await using var rig = await DiscordTestRig.StartAsync(services: s =>
            s.AddHttpClient("CaseBot.Discord").AddHttpMessageHandler(() => new TimeoutOnce(timeouts)));
        var (gateway, _) = await rig.ConnectAsync();
        rig.Bot.Hold();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("ask", "question", "why was it blocked?", token: "LATE_TOKEN")));
        await Wait.UntilAsync(() => rig.Bot.Asks == 1);
        await rig.Clock.AdvanceUntilAsync(() => timeouts.TimedOut == 1, TimeSpan.FromMilliseconds(100));
        rig.Bot.Release();

        var edit = await rig.Fake.WaitForRequestAsync(r => r.Method == "PATCH");
        Assert.Equal($"/webhooks/{DiscordTestRig.ApplicationId}/LATE_TOKEN/messages/@original", edit.Path);
        Assert.Contains("[004]", (string)edit.Json!["content"]!);
        Assert.True(rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "deferral"));
    }

    [Fact]
    public async Task A_slow_answer_does_not_hold_up_heartbeats()
    {
        await using var rig = await DiscordTestRig.StartAsync(jitter: 0.01);
        var (gateway, _) = await rig.ConnectAsync();
        rig.Bot.Hold();

        await gateway.SendAsync(Events.Mention(2, "9001", "why was it blocked?"));
        await Wait.UntilAsync(() => rig.Bot.Asks == 1);
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        var beat = await gateway.ExpectOpAsync(1);

        Assert.Equal(2, (long)beat["d"]!);
        Assert.Empty(rig.Replies);
        rig.Bot.Release();
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));
    }

    [Fact]
    public async Task Reindex_from_a_non_moderator_is_refused_ephemerally()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();
        var noManageServer = ((1UL << 40) - 1 & ~(1UL << 5)).ToString(); // every permission bit but Manage Server

        await gateway.SendAsync(Events.Interaction(2, Events.Command("reindex", permissions: noManageServer)));
        var callback = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/callback"));
        await rig.StopAsync();

        Assert.Equal(4, (int)callback.Json!["type"]!);
        Assert.Equal(Ephemeral, (int)callback.Json!["data"]!["flags"]! & Ephemeral);
        Assert.Contains("moderators", (string)callback.Json!["data"]!["content"]!);
        Assert.Empty(rig.Bot.Reindexes);
    }

    [Fact]
    public async Task Reindex_from_a_moderator_defers_ephemerally_then_reports_the_result()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        // The fixture's member has permissions "2147483647", which include Manage Server.
        await gateway.SendAsync(Events.Interaction(2, Events.Command("reindex")));
        var edit = await rig.Fake.WaitForRequestAsync(r => r.Method == "PATCH");

        var callback = Assert.Single(rig.Callbacks);
        Assert.Equal(5, (int)callback.Json!["type"]!);
        Assert.Equal(Ephemeral, (int)callback.Json!["data"]!["flags"]!);
        Assert.Contains("Indexed 2 documents", (string)edit.Json!["content"]!);
        Assert.Single(rig.Bot.Reindexes);
        Assert.Empty(rig.Metrics.Reindexes); // the engine counts reindexes (this fake does not); the adapter never does
    }

    [Fact]
    public async Task Reindex_in_a_dm_has_no_member_permissions_and_is_refused()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();
        var interaction = Events.Command("reindex");
        interaction["user"] = interaction["member"]!["user"]!.DeepClone();
        interaction.Remove("member");
        interaction.Remove("guild_id");

        await gateway.SendAsync(Events.Interaction(2, interaction));
        var callback = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/callback"));

        Assert.Equal(Ephemeral, (int)callback.Json!["data"]!["flags"]! & Ephemeral);
        Assert.Empty(rig.Bot.Reindexes);
    }

    [Fact]
    public async Task Source_shows_the_title_and_opening_and_an_unknown_id_lists_documents_ephemerally()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("source", "id", "004", id: "1")));
        await gateway.SendAsync(Events.Interaction(3, Events.Command("source", "id", "999", id: "2")));
        var known = await rig.Fake.WaitForRequestAsync(r => r.Path.StartsWith("/interactions/1/"));
        var unknown = await rig.Fake.WaitForRequestAsync(r => r.Path.StartsWith("/interactions/2/"));

        var content = (string)known.Json!["data"]!["content"]!;
        Assert.Contains("[004]", content);
        Assert.Contains(FakeCaseBot.BlockedTitle, content);
        Assert.Contains("blocked a £50m contract", content);
        Assert.Equal(0, (int)known.Json!["data"]!["flags"]! & Ephemeral);
        Assert.Equal(Ephemeral, (int)unknown.Json!["data"]!["flags"]! & Ephemeral);
        Assert.Contains("[000]", (string)unknown.Json!["data"]!["content"]!);
    }

    [Fact]
    public async Task An_unusable_question_gets_ephemeral_usage_help()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("ask", "question", "?!?")));
        var callback = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/callback"));

        Assert.Equal(4, (int)callback.Json!["type"]!);
        Assert.Equal(Ephemeral, (int)callback.Json!["data"]!["flags"]! & Ephemeral);
        Assert.Contains("/ask", (string)callback.Json!["data"]!["content"]!);
    }

    [Fact]
    public async Task The_same_interaction_delivered_twice_is_answered_once()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("ask", "question", "why block?")));
        await gateway.SendAsync(Events.Interaction(3, Events.Command("ask", "question", "why block?")));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/callback"));
        await Wait.UntilAsync(() => rig.Gateway.LastSequence == 3);
        await rig.StopAsync();

        Assert.Single(rig.Callbacks);
    }
}
