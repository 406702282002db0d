using CaseBot.Slack.Events;
using CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>SIGTERM with questions in flight: an acknowledged envelope is still answered (Slack never redelivers it),
/// one that arrives while stopping is not acknowledged (so Slack redelivers it), and the socket then closes.</summary>
public sealed class SocketModeShutdownTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stopping_answers_what_was_acknowledged_leaves_new_envelopes_unacknowledged_then_closes_the_socket()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        bot.Hold();
        await using var host = await SlackTestHost.StartAsync(slack, bot);
        var link = await slack.NextLinkAsync();
        await host.WaitConnectedAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1.1"));
        await link.WaitForAckAsync("env-1");
        await bot.AskStarted.Task.WaitAsync(Wait);

        var stopping = host.Host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await TestSupport.Wait.UntilAsync(() => !host.Queue.CanAccept);
        await link.SendAsync(Fixture.Mention("env-2", "Ev2", "why was the contract blocked?", ts: "2.2"));
        await TestSupport.Wait.UntilAsync(() => host.Logs.Contains("not acknowledged"));
        Assert.False(link.Closed.IsCompleted); // the socket stays open while the accepted work drains

        bot.Release();
        await stopping.WaitAsync(Wait);
        await link.Closed.WaitAsync(Wait);

        var answer = Assert.Single(slack.ChatCalls());
        Assert.Equal("1.1", answer.Str("thread_ts"));
        Assert.DoesNotContain(link.Acks.Snapshot(), a => (string?)a["envelope_id"] == "env-2");
    }

    [Fact]
    public async Task A_full_queue_leaves_the_envelope_unacknowledged_instead_of_dropping_it_after_the_ack()
    {
        await using var slack = await FakeSlack.StartAsync();
        var bot = new FakeCaseBot();
        bot.Hold();
        await using var host = await SlackTestHost.StartAsync(slack, bot, s => s["Slack:MaxConcurrentWork"] = "1");
        var link = await slack.NextLinkAsync();
        await host.WaitConnectedAsync();

        // One answer running, then fill every waiting place.
        await link.SendAsync(Fixture.Mention("env-0", "Ev0", "why was the contract blocked?", ts: "0.0"));
        await link.WaitForAckAsync("env-0");
        await bot.AskStarted.Task.WaitAsync(Wait);
        for (var i = 1; i <= SlackWorkQueue.Capacity; i++)
            await link.SendAsync(Fixture.Mention($"env-{i}", $"Ev{i}", "why was the contract blocked?", ts: $"{i}.0"));
        await link.WaitForAckAsync($"env-{SlackWorkQueue.Capacity}");

        await link.SendAsync(Fixture.Mention("env-over", "EvOver", "why was the contract blocked?", ts: "9.9"));
        await TestSupport.Wait.UntilAsync(() => host.Logs.Contains("not acknowledged"));

        Assert.DoesNotContain(link.Acks.Snapshot(), a => (string?)a["envelope_id"] == "env-over");
        bot.Release();
    }
}
