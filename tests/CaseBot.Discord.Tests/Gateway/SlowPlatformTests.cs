using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaseBot.Discord.Tests.Gateway;

/// <summary>Issue 11 item 1: an HttpClient timeout from a slow Discord API is a transient failure, never a crash of the host.</summary>
public sealed class SlowPlatformTests
{
    [Fact]
    public async Task Timeouts_at_command_registration_and_get_gateway_bot_are_retried_and_the_host_keeps_running()
    {
        var timeouts = new TimeoutOnce.State(
            r => r.Method == HttpMethod.Put,
            r => r.RequestUri!.AbsolutePath.EndsWith("/gateway/bot", StringComparison.Ordinal));
        await using var rig = await DiscordTestRig.StartAsync(services: s =>
            s.AddHttpClient("CaseBot.Discord").AddHttpMessageHandler(() => new TimeoutOnce(timeouts)));

        // The gateway URL is fetched again after a backoff on the virtual clock; then the session comes up.
        await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count > 0, TimeSpan.FromMilliseconds(250));
        await rig.ConnectAsync();

        Assert.Equal(2, timeouts.TimedOut);
        Assert.False(rig.Adapter.Stopped);
        Assert.False(rig.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.True(rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, "Registering slash commands failed"));
    }
}
