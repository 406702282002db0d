using CaseBot.Core.Corpus;
using CaseBot.Discord;
using CaseBot.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Web;

/// <summary>Entry points of <c>casebot serve</c> (the web console and every configured adapter) and of
/// <c>casebot discord</c> / <c>casebot slack</c> (one adapter, no console): one host builder, <see cref="ServeHost"/>,
/// for all three, so the moderation gate, metrics and health endpoints always apply.</summary>
public static class ServeCommand
{
    /// <summary>Runs until SIGTERM / Ctrl+C (or <paramref name="cancellationToken"/>); returns the process exit code:
    /// 0 after a clean stop, 1 when the host could not start, 2 for a configuration error.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (TryGetHealthCheckUrl(args, out var url))
            return await HealthProbe.RunAsync(url, cancellationToken).ConfigureAwait(false);
        return await RunHostAsync("serve", () => ServeHost.Build(args), async app =>
        {
            // Runs until a stop signal, then stops gracefully and disposes the host.
            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);
    }

    /// <summary><c>casebot discord</c> or <c>casebot slack</c>: the same host with one adapter and no console.</summary>
    public static Task<int> RunAdapterAsync(string[] args, HostSurfaces adapter, CancellationToken cancellationToken = default)
    {
        if (adapter is not (HostSurfaces.Discord or HostSurfaces.Slack))
            throw new ArgumentOutOfRangeException(nameof(adapter), adapter, "one chat adapter");
        var name = adapter == HostSurfaces.Discord ? "discord" : "slack";
        return RunHostAsync(name, () => ServeHost.Build(args, adapter), async app =>
        {
            var configured = app.Services.GetRequiredService<ConfiguredAdapters>();
            if (adapter == HostSurfaces.Discord)
            {
                if (configured.Discord) return await DiscordCommand.RunAsync(app, cancellationToken).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(DiscordCommand.NotConfigured).ConfigureAwait(false);
                return 2;
            }
            if (!configured.Slack)
            {
                await Console.Error.WriteLineAsync(
                    "Slack is not configured: set Slack__AppToken (xapp-…) and Slack__BotToken (xoxb-…) for Socket Mode. See docs/slack.md.")
                    .ConfigureAwait(false);
                return 2;
            }
            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    private static async Task<int> RunHostAsync(string command, Func<WebApplication> build, Func<WebApplication, Task<int>> run)
    {
        try
        {
            var app = build();
            await using (app.ConfigureAwait(false))
                return await run(app).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"casebot {command}: the configuration needs fixing:");
            foreach (var failure in ex.Failures) Console.Error.WriteLine($"  - {failure}");
            return 2;
        }
        catch (CorpusException ex)
        {
            Console.Error.WriteLine($"casebot {command}: cannot open the index: {ex.Message}");
            return 1;
        }
        catch (IOException ex)
        {
            // Typically the port is taken.
            Console.Error.WriteLine($"casebot {command}: cannot start: {ex.Message} (change Web__Urls?)");
            return 1;
        }
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
