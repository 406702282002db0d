using System.Text.Json.Nodes;
using CaseBot.Core.Answering;
using CaseBot.Core.Feedback;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>👍 / 👎 / "Why this answer?" Block Kit buttons under every answer, clicked over Socket Mode interactivity.</summary>
public sealed class FeedbackButtonTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Question = "why was the contract blocked?";
    private const string Root = "1610241741.000200";

    [Fact]
    public async Task Every_answer_ends_with_vote_and_why_buttons_keyed_by_the_answer()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question, ts: Root));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var blocks = Assert.Single(slack.ChatCalls()).Body!["blocks"]!.AsArray();
        var actions = blocks[^1]!;
        Assert.Equal("actions", (string)actions["type"]!);
        var key = AnswerKey.For(bot.Answerer(Question));
        Assert.Equal([$"casebot:up:{key}", $"casebot:down:{key}", $"casebot:why:{key}"],
            actions["elements"]!.AsArray().Select(e => (string)e!["action_id"]!));
    }

    [Fact]
    public async Task A_vote_is_acked_recorded_once_per_member_changed_by_a_second_click_and_confirmed_ephemerally()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        var sink = new RecordingFeedbackSink();
        await using var host = await SlackTestHost.StartAsync(slack, bot, services: s => s.AddSingleton<IFeedbackSink>(sink));
        var link = await slack.NextLinkAsync();
        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question, ts: Root));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        var key = AnswerKey.For(bot.Answerer(Question));

        await link.SendAsync(Click("env-2", $"casebot:up:{key}"));
        await link.WaitForAckAsync("env-2");
        await host.Queue.WaitForCompletedAsync(2).WaitAsync(Wait);
        await link.SendAsync(Click("env-3", $"casebot:down:{key}"));
        await link.WaitForAckAsync("env-3");
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        Assert.Equal([VoteValue.Up, VoteValue.Down], sink.Calls.Select(c => c.Value));
        Assert.All(sink.Calls, c => Assert.Equal(("slack", key, "U222", "C111"), (c.Platform, c.AnswerKey, c.UserId, c.ChannelId)));
        Assert.Equal(new VoteOutcome(key, VoteValue.Down, 0, 1), sink.Outcome(key, "U222"));
        var confirmations = slack.CallsTo("chat.postEphemeral");
        Assert.Equal(2, confirmations.Count);
        Assert.All(confirmations, c => Assert.Equal(("U222", Root), (c.Str("user"), c.Str("thread_ts"))));
        Assert.Contains("👎", confirmations[1].Str("text"));
    }

    [Fact]
    public async Task Why_this_answer_is_posted_ephemerally_to_the_clicker_and_is_the_same_each_time()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        bot.Answerer = q => FakeCaseBot.Cited(q, new Citation("004", FakeCaseBot.Title004, FakeCaseBot.Quote004)) with
        {
            Confidence = 0.77,
            Explanation = new Explanation("why was the contract blocked", "reason", ["contract", "block", "City Hall"], ["blokced → blocked"],
                [new RunnerUp("002", "Palantir sells data platforms.", 0.35)], 0.42),
        };
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();
        await link.SendAsync(Fixture.Mention("env-1", "Ev1", Question, ts: Root));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        var key = AnswerKey.For(bot.Answerer(Question));

        await link.SendAsync(Click("env-2", $"casebot:why:{key}"));
        await host.Queue.WaitForCompletedAsync(2).WaitAsync(Wait);
        await link.SendAsync(Click("env-3", $"casebot:why:{key}"));
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        var shown = slack.CallsTo("chat.postEphemeral");
        Assert.Equal(2, shown.Count);
        Assert.Equal(("C111", "U222"), (shown[0].Str("channel"), shown[0].Str("user")));
        var text = shown[0].Str("text")!;
        Assert.Contains("City Hall", text);
        Assert.Contains("0.77", text);
        Assert.Contains("0.42", text);
        Assert.Contains("[002] 0.35", text);
        Assert.Contains("blokced → blocked", text);
        Assert.Equal(text, shown[1].Str("text"));
        Assert.Single(bot.Questions); // explained from the answer given, not asked again
    }

    /// <summary>A <c>block_actions</c> click on an answer in the thread, as an <c>interactive</c> envelope.</summary>
    private static JsonObject Click(string envelopeId, string actionId)
    {
        var env = Fixture.Json("socket_mode/interactive_shortcut_envelope.json");
        env["envelope_id"] = envelopeId;
        var payload = env["payload"]!.AsObject();
        payload["type"] = "block_actions";
        payload["user"] = new JsonObject { ["id"] = "U222", ["username"] = "member", ["team_id"] = "T111" };
        payload["channel"] = new JsonObject { ["id"] = "C111", ["name"] = "general" };
        payload["container"] = new JsonObject
        {
            ["type"] = "message", ["message_ts"] = "1610241742.000300", ["channel_id"] = "C111", ["is_ephemeral"] = false, ["thread_ts"] = Root,
        };
        payload["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "casebot_feedback", ["value"] = actionId[^16..],
            ["action_ts"] = "1610241750.000100",
        });
        return env;
    }
}
