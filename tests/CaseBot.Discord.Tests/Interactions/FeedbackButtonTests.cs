using System.Text.Json.Nodes;
using CaseBot.Core.Answering;
using CaseBot.Core.Feedback;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Discord.Tests.Interactions;

/// <summary>👍 / 👎 / "Why this answer?" under every answer: MESSAGE_COMPONENT interactions answered to the clicker only.</summary>
public sealed class FeedbackButtonTests
{
    private const int Ephemeral = 1 << 6;
    private const string Question = "Why did the mayor block the contract?";

    [Fact]
    public async Task Every_answer_carries_vote_and_why_buttons_keyed_by_the_answer()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "1001", Question));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));

        var buttons = reply.Json!["components"]![0]!["components"]!.AsArray();
        var key = AnswerKey.For(rig.Bot.Answerer(Question));
        Assert.Equal([$"casebot:up:{key}", $"casebot:down:{key}", $"casebot:why:{key}"], buttons.Select(b => (string)b!["custom_id"]!));
        Assert.All(buttons, b => Assert.Equal(2, (int)b!["type"]!));
    }

    [Fact]
    public async Task A_vote_is_recorded_once_per_member_and_a_second_click_changes_it_each_acknowledged_ephemerally()
    {
        var sink = new RecordingFeedbackSink();
        await using var rig = await DiscordTestRig.StartAsync(services: s => s.AddSingleton<IFeedbackSink>(sink));
        var (gateway, _) = await rig.ConnectAsync();
        await gateway.SendAsync(Events.Mention(2, "1001", Question));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));
        var key = AnswerKey.For(rig.Bot.Answerer(Question));

        await gateway.SendAsync(Events.Interaction(3, Click($"casebot:up:{key}", "9001")));
        await Wait.UntilAsync(() => rig.Callbacks.Count == 1);
        await gateway.SendAsync(Events.Interaction(4, Click($"casebot:down:{key}", "9002")));
        await Wait.UntilAsync(() => rig.Callbacks.Count == 2);

        Assert.Equal([VoteValue.Up, VoteValue.Down], sink.Calls.Select(c => c.Value));
        Assert.All(sink.Calls, c => Assert.Equal(("discord", key), (c.Platform, c.AnswerKey)));
        Assert.Equal(new VoteOutcome(key, VoteValue.Down, 0, 1), sink.Outcome(key, sink.Calls[0].UserId));
        Assert.All(rig.Callbacks, c =>
        {
            Assert.Equal(4, (int)c.Json!["type"]!);
            Assert.Equal(Ephemeral, (int)c.Json!["data"]!["flags"]! & Ephemeral);
        });
        Assert.Contains("👎", (string)rig.Callbacks[1].Json!["data"]!["content"]!);
    }

    [Fact]
    public async Task Why_this_answer_shows_the_explanation_to_the_clicker_only_and_the_same_each_time()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        rig.Bot.Answerer = q => FakeCaseBot.Cited(q, new Citation("004", FakeCaseBot.BlockedTitle, FakeCaseBot.BlockedQuote)) with
        {
            Confidence = 0.83,
            Explanation = new Explanation("why did the mayor block the contract", "reason", ["mayor", "Sadiq Khan", "block", "contract"], [],
                [new RunnerUp("001", "The mayor's office said the deal broke the rules.", 0.61)], 0.42),
        };
        var (gateway, _) = await rig.ConnectAsync();
        await gateway.SendAsync(Events.Mention(2, "1001", Question));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));
        var key = AnswerKey.For(rig.Bot.Answerer(Question));

        await gateway.SendAsync(Events.Interaction(3, Click($"casebot:why:{key}", "9101")));
        await Wait.UntilAsync(() => rig.Callbacks.Count == 1);
        await gateway.SendAsync(Events.Interaction(4, Click($"casebot:why:{key}", "9102")));
        await Wait.UntilAsync(() => rig.Callbacks.Count == 2);

        var first = rig.Callbacks[0].Json!;
        Assert.Equal(4, (int)first["type"]!);
        Assert.Equal(Ephemeral, (int)first["data"]!["flags"]! & Ephemeral);
        var content = (string)first["data"]!["content"]!;
        Assert.Contains("Sadiq Khan", content);
        Assert.Contains("0.83", content);
        Assert.Contains("0.42", content);
        Assert.Matches(@"001\\?\] 0\.61", content); // markdown-escaped brackets
        Assert.Equal(content, (string)rig.Callbacks[1].Json!["data"]!["content"]!);
        Assert.Equal(1, rig.Bot.Asks); // explained from the answer given, not asked again
    }

    /// <summary>A MESSAGE_COMPONENT interaction (type 3): a button click with its custom id.</summary>
    private static JsonObject Click(string customId, string interactionId)
    {
        var interaction = Events.Command("ask", id: interactionId, token: "TOKEN_" + interactionId);
        interaction["type"] = 3;
        interaction["data"] = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        return interaction;
    }
}
