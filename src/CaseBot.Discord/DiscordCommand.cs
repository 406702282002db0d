using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaseBot.Discord;

/// <summary>
/// <c>casebot discord</c>: runs a host built by the one composition root (the web project's <c>ServeHost</c>, which
/// registered the Discord adapter, the moderation gate and metrics) until Ctrl+C / SIGTERM, or until the adapter
/// stops for good. Settings are validated when the host starts.
/// </summary>
public static class DiscordCommand
{
    public const string NotConfigured =
        "Discord is not configured: set Discord__Token (or DISCORD_TOKEN) and Discord__ApplicationId. See docs/discord.md.";

    /// <returns>0 after a clean stop, 1 when Discord refused the bot (bad token, disallowed intent).</returns>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken = default)
    {
        await host.StartAsync(cancellationToken);
        // Alone, there is nothing left to run once the adapter stops for good (bad token, disallowed intent): exit.
        var adapter = host.Services.GetRequiredService<DiscordAdapter>();
        _ = adapter.ExecuteTask?.ContinueWith(_ => host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication(),
            TaskScheduler.Default);
        await host.WaitForShutdownAsync(cancellationToken);
        return adapter.Failed ? 1 : 0;
    }
}
