using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>The host's question gate and Slack's channel-membership errors.</summary>
public sealed class SocketModeGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Gate_refusal_is_sent_only_to_the_asker_and_the_engine_is_not_asked()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        var gate = new RefusingGate();
        await using var host = await SlackTestHost.StartAsync(slack, bot, services: s => s.AddSingleton<IQuestionGate>(gate));
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postEphemeral", reply.Method);
        Assert.Equal("U222", reply.Str("user"));
        Assert.Contains("Slow down", reply.Str("text"));
        Assert.Empty(bot.Questions);
        Assert.Equal([("slack", "U222", "C111")], gate.Checks);
    }

    [Fact]
    public async Task Slash_answer_in_a_channel_without_the_bot_falls_back_to_an_ephemeral_hint()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", FakeResponse.Ok("""{"ok":false,"error":"not_in_channel"}"""));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "why was the contract blocked?", user: "U0ASKER"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var calls = slack.ChatCalls();
        Assert.Equal(["chat.postMessage", "chat.postEphemeral"], calls.Select(c => c.Method));
        Assert.Equal("U0ASKER", calls[1].Str("user"));
        Assert.Contains("/invite", calls[1].Str("text"));
        Assert.True(host.Logs.Contains("error not_in_channel"));
    }

    private sealed class RefusingGate : IQuestionGate
    {
        public List<(string, string, string?)> Checks { get; } = [];

        public GateDecision Check(string platform, string userId, string? channelId)
        {
            lock (Checks) Checks.Add((platform, userId, channelId));
            return GateDecision.Refuse("Slow down: one question every 10 seconds.");
        }
    }
}
