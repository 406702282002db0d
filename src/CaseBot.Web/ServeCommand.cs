using CaseBot.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web;

/// <summary>Entry point of <c>casebot serve</c>: one host for the web console and every configured adapter.</summary>
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
        var verbose = args.Contains(VerboseSwitch, StringComparer.Ordinal);
        args = args.Where(a => a != VerboseSwitch).ToArray();
        var started = false;
        try
        {
            var app = ServeHost.Build(args, builder =>
            {
                // The host logs a failed start with its whole stack trace before throwing; the one line below says it
                // better. Errors after the start (a crashed background service) are still logged in full.
                var min = MinimumLevel(builder.Configuration);
                builder.Logging.AddFilter(HostCategory, level => level >= min && (verbose || Volatile.Read(ref started) || level < LogLevel.Error));
            });
            app.Lifetime.ApplicationStarted.Register(() => Volatile.Write(ref started, true));
            // Runs until a stop signal, then stops gracefully and disposes the host.
            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Stopped;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = StartupFailure.Classify(ex);
            Console.Error.WriteLine($"casebot serve: {failure.Line}");
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
