using CaseBot.Discord.Tests.Infrastructure;

namespace CaseBot.Discord.Tests.Gateway;

/// <summary>Issue 11 item 5: a session that can no longer be resumed is given up for a fresh Identify.</summary>
public sealed class ResumeFallbackTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task After_three_failed_resumes_the_client_fetches_the_gateway_again_and_identifies()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (first, _) = await rig.ConnectAsync();
        await first.CloseAsync(4000, "Unknown error");

        for (var i = 1; i <= 3; i++)
        {
            await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count > i, Step);
            var attempt = rig.Fake.Connections[i];
            await attempt.SendAsync(Events.Hello());
            await attempt.ExpectOpAsync(6); // Resume
            await attempt.CloseAsync(4000, "Unknown error"); // gone before RESUMED: the resume failed
        }

        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count > 4, Step);
        var fresh = rig.Fake.Connections[4];
        await fresh.SendAsync(Events.Hello());
        await fresh.ExpectOpAsync(2); // Identify

        Assert.Equal(2, rig.Fake.Requests.Count(r => r.Path == "/gateway/bot"));
    }
}
