using CaseBot.Discord.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord;

/// <summary>
/// <c>casebot discord</c>: runs the Discord adapter alone until Ctrl+C / SIGTERM, until <c>casebot serve</c> hosts
/// every adapter together. The CLI passes how to register the answer engine (the core's <c>AddCaseBotCore</c>), so
/// this project does not depend on the CLI.
/// </summary>
public static class DiscordCommand
{
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection, IConfiguration> addCore,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(args);
        addCore(builder.Services, builder.Configuration);
        if (!builder.Services.AddDiscordAdapter(builder.Configuration))
        {
            await Console.Error.WriteLineAsync(
                "Discord is not configured: set Discord__Token (or DISCORD_TOKEN) and Discord__ApplicationId. See docs/discord.md.");
            return 2;
        }

        using var host = builder.Build();
        try
        {
            _ = host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Discord configuration is invalid:\n  " + string.Join("\n  ", ex.Failures));
            return 2;
        }

        await host.StartAsync(cancellationToken);
        // Alone, there is nothing left to run once the adapter stops for good (bad token, disallowed intent): exit.
        var adapter = host.Services.GetRequiredService<DiscordAdapter>();
        _ = adapter.ExecuteTask?.ContinueWith(_ => host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication(),
            TaskScheduler.Default);
        await host.WaitForShutdownAsync(cancellationToken);
        return adapter.Failed ? 1 : 0;
    }
}
