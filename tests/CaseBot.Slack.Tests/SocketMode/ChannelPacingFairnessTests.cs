using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>
/// Slack's "about one message per second per channel" is kept by waiting for the channel's next slot. That wait
/// must not hold one of the few answer workers: otherwise one busy channel holds every worker and the whole
/// workspace is answered at one message a second (found by the Slack load run).
/// </summary>
public sealed class ChannelPacingFairnessTests
{
    [Fact]
    public async Task An_answer_in_a_quiet_channel_is_not_held_behind_a_busy_channels_pacing()
    {
        await using var slack = await FakeSlack.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Clock = clock;
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), s =>
        {
            s["Slack:MaxConcurrentWork"] = "2";
            s["Slack:ChannelMessageInterval"] = "00:00:01";
        }, clock);
        var link = await slack.NextLinkAsync();
        await host.WaitConnectedAsync();

        // Six questions in a busy channel (six seconds of its pacing), then one in a quiet channel.
        for (var i = 1; i <= 6; i++)
        {
            var busy = Fixture.Mention($"env-b{i}", $"EvB{i}", "why was the contract blocked?", ts: $"{i}.0");
            busy["payload"]!["event"]!["channel"] = "CBUSY";
            await link.SendAsync(busy);
        }
        var quiet = Fixture.Mention("env-q", "EvQ", "why was the contract blocked?", ts: "9.9");
        quiet["payload"]!["event"]!["channel"] = "CQUIET";
        await link.SendAsync(quiet);
        await link.WaitForAckAsync("env-q");

        await clock.AdvanceUntilAsync(() => slack.Posted.Snapshot().Count == 7, TimeSpan.FromMilliseconds(100));

        var posts = slack.Posted.Snapshot();
        var quietAt = posts.Single(p => p.Str("channel") == "CQUIET").At;
        var busyAt = posts.Where(p => p.Str("channel") == "CBUSY").Select(p => p.At).Order().ToList();
        Assert.Equal(6, busyAt.Count);
        Assert.True(busyAt[^1] - busyAt[0] >= TimeSpan.FromSeconds(4.5), "the busy channel is still paced, one a second"); // less a clock step
        // The quiet channel's answer goes out within the busy channel's first second, not after its queue.
        Assert.True(quietAt < busyAt[0] + TimeSpan.FromSeconds(1),
            $"quiet channel answered at +{(quietAt - busyAt[0]).TotalSeconds:F1} s behind the busy one's pacing");
    }
}
