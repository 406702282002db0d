using CaseBot.Core.Corpus;
using CaseBot.Web.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Web;

/// <summary>Entry point of <c>casebot serve</c>: one host for the web console and every configured adapter.</summary>
public static class ServeCommand
{
    /// <summary>Runs until SIGTERM / Ctrl+C (or <paramref name="cancellationToken"/>); returns the process exit code:
    /// 0 after a clean stop, 1 when the host could not start, 2 for a configuration error.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (TryGetHealthCheckUrl(args, out var url))
            return await HealthProbe.RunAsync(url, cancellationToken).ConfigureAwait(false);
        try
        {
            var app = ServeHost.Build(args);
            // Runs until a stop signal, then stops gracefully and disposes the host.
            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine("casebot serve: the configuration needs fixing:");
            foreach (var failure in ex.Failures) Console.Error.WriteLine($"  - {failure}");
            return 2;
        }
        catch (CorpusException ex)
        {
            Console.Error.WriteLine($"casebot serve: cannot open the index: {ex.Message}");
            return 1;
        }
        catch (IOException ex)
        {
            // Typically the console's port is taken.
            Console.Error.WriteLine($"casebot serve: cannot start: {ex.Message} (change Web__Urls?)");
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
