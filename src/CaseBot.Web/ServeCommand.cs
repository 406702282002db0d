using CaseBot.Discord;
using CaseBot.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web;

/// <summary>Entry points of <c>casebot serve</c> (the web console and every configured adapter) and of
/// <c>casebot discord</c> / <c>casebot slack</c> (one adapter, no console): one host builder, <see cref="ServeHost"/>,
/// for all three, so the moderation gate, metrics and health endpoints always apply.</summary>
public static class ServeCommand
{
    public const string VerboseSwitch = "--verbose";
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Runs until SIGTERM / Ctrl+C (or <paramref name="cancellationToken"/>); returns the process exit code
    /// (<see cref="ExitCodes"/>): 0 after a clean stop, otherwise one per cause. A failure to start prints one line
    /// saying what to change; <c>--verbose</c> adds the stack trace.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (TryGetHealthCheckUrl(args, out var url))
            return await HealthProbe.RunAsync(url, cancellationToken).ConfigureAwait(false);
        return await RunHostAsync("serve", args, HostSurfaces.All, async app =>
        {
            // Runs until a stop signal, then stops gracefully and disposes the host.
            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Stopped;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>casebot discord</c> or <c>casebot slack</c>: the same host with one adapter and no console, the
    /// same one-line start-up failures and exit codes.</summary>
    public static Task<int> RunAdapterAsync(string[] args, HostSurfaces adapter, CancellationToken cancellationToken = default)
    {
        if (adapter is not (HostSurfaces.Discord or HostSurfaces.Slack))
            throw new ArgumentOutOfRangeException(nameof(adapter), adapter, "one chat adapter");
        var name = adapter == HostSurfaces.Discord ? "discord" : "slack";
        return RunHostAsync(name, args, adapter, async app =>
        {
            var configured = app.Services.GetRequiredService<ConfiguredAdapters>();
            if (adapter == HostSurfaces.Discord)
            {
                if (configured.Discord) return await DiscordCommand.RunAsync(app, cancellationToken).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(DiscordCommand.NotConfigured).ConfigureAwait(false);
                return ExitCodes.Configuration;
            }
            if (!configured.Slack)
            {
                await Console.Error.WriteLineAsync(
                    "Slack is not configured: set Slack__AppToken (xapp-…) and Slack__BotToken (xoxb-…) for Socket Mode. See docs/slack.md.")
                    .ConfigureAwait(false);
                return ExitCodes.Configuration;
            }
            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Stopped;
        }, cancellationToken);
    }

    private static async Task<int> RunHostAsync(string command, string[] args, HostSurfaces surfaces,
        Func<WebApplication, Task<int>> run, CancellationToken cancellationToken)
    {
        var verbose = args.Contains(VerboseSwitch, StringComparer.Ordinal);
        args = args.Where(a => a != VerboseSwitch).ToArray();
        var started = false;
        try
        {
            var app = ServeHost.Build(args, surfaces, builder =>
            {
                // The host logs a failed start with its whole stack trace before throwing; the one line below says it
                // better. Errors after the start (a crashed background service) are still logged in full.
                var min = MinimumLevel(builder.Configuration);
                builder.Logging.AddFilter(HostCategory, level => level >= min && (verbose || Volatile.Read(ref started) || level < LogLevel.Error));
            });
            app.Lifetime.ApplicationStarted.Register(() => Volatile.Write(ref started, true));
            await using (app.ConfigureAwait(false))
                return await run(app).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while still starting (Ctrl+C, SIGTERM, a test's token): a clean stop, not a failure.
            return ExitCodes.Stopped;
        }
        catch (Exception ex)
        {
            var failure = StartupFailure.Classify(ex);
            Console.Error.WriteLine($"casebot {command}: {failure.Line}");
            if (verbose) Console.Error.WriteLine(ex);
            return failure.ExitCode;
        }
    }

    /// <summary>The level configured for the host's category (Logging:LogLevel, most specific prefix first).</summary>
    private static LogLevel MinimumLevel(IConfiguration config)
    {
        var levels = config.GetSection("Logging:LogLevel");
        for (var category = HostCategory; category.Length > 0; category = category.LastIndexOf('.') is var dot and > 0 ? category[..dot] : "")
            if (Enum.TryParse<LogLevel>(levels[category], ignoreCase: true, out var level)) return level;
        return Enum.TryParse<LogLevel>(levels["Default"], ignoreCase: true, out var fallback) ? fallback : LogLevel.Information;
    }

    private static bool TryGetHealthCheckUrl(string[] args, out string url)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == HealthProbe.Switch)
            {
                url = i + 1 < args.Length ? args[i + 1] : "";
                return true;
            }
            if (args[i].StartsWith(HealthProbe.Switch + "=", StringComparison.Ordinal))
            {
                url = args[i][(HealthProbe.Switch.Length + 1)..];
                return true;
            }
        }
        url = "";
        return false;
    }
}
