using CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>Follow-ups in a thread CaseBot answered: answered without a new mention, read with the previous question.</summary>
public sealed class ThreadFollowUpTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Root = "1610241741.000200";

    [Fact]
    public async Task Three_turn_follow_up_in_a_thread_is_answered_without_mentions_from_the_contract_passage()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "Tell me about the proposed Palantir contract", ts: Root));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        await link.SendAsync(ThreadMessage("env-2", "Ev2", "who blocked it?", ts: "1610241800.000300"));
        await host.Queue.WaitForCompletedAsync(2).WaitAsync(Wait);
        await link.SendAsync(ThreadMessage("env-3", "Ev3", "how much was it worth?", ts: "1610241900.000400"));
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        Assert.Equal(3, bot.Questions.Count);
        Assert.Equal("Tell me about the proposed Palantir contract", bot.Questions[0]);
        Assert.StartsWith("who blocked it?", bot.Questions[1]);
        Assert.Contains("Palantir contract", bot.Questions[1]);
        Assert.StartsWith("how much was it worth?", bot.Questions[2]);
        Assert.Contains("Palantir contract", bot.Questions[2]);
        var replies = slack.ChatCalls();
        Assert.Equal(3, replies.Count);
        Assert.All(replies, r =>
        {
            Assert.Equal("chat.postMessage", r.Method);
            Assert.Equal(Root, r.Str("thread_ts"));
            Assert.Contains("[004]", r.BlocksJson); // "how much was it worth?" alone is declined by this engine
        });
    }

    [Fact]
    public async Task Message_in_a_thread_the_bot_never_answered_gets_no_reply()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(ThreadMessage("env-1", "Ev1", "who blocked the contract?", ts: "1610241800.000300"));
        await link.WaitForAckAsync("env-1");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Empty(slack.ChatCalls());
        Assert.Empty(bot.Questions);
    }

    [Fact]
    public async Task Follow_up_that_mentions_the_bot_is_answered_once_via_app_mention()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "Tell me about the proposed Palantir contract", ts: Root));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);
        // Slack delivers a mention in a thread twice: as message (thread_ts set) and as app_mention.
        await link.SendAsync(ThreadMessage("env-2", "Ev2", "<@U111> who blocked it?", ts: "1610241800.000300"));
        var mention = Fixture.Mention("env-3", "Ev3", "who blocked it?", ts: "1610241800.000300");
        mention["payload"]!["event"]!["thread_ts"] = Root;
        await link.SendAsync(mention);
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        Assert.Equal(2, bot.Questions.Count);
        Assert.Equal(2, slack.ChatCalls().Count);
        Assert.Contains("Palantir contract", bot.Questions[1]);
    }

    /// <summary>A member's plain message in a channel thread (no mention).</summary>
    private static System.Text.Json.Nodes.JsonObject ThreadMessage(string envelopeId, string eventId, string text, string ts)
    {
        var env = Fixture.Json("socket_mode/events_api_message_channel_envelope.json");
        env["envelope_id"] = envelopeId;
        var payload = env["payload"]!.AsObject();
        payload["event_id"] = eventId;
        var ev = payload["event"]!.AsObject();
        ev["text"] = text;
        ev["ts"] = ts;
        ev["event_ts"] = ts;
        ev["thread_ts"] = Root;
        return env;
    }
}
