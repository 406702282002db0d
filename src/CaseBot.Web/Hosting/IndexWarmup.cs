using CaseBot.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web.Hosting;

/// <summary>
/// Opens (or builds) the index before anything else starts, so adapters connect and Kestrel listens only once
/// questions can be answered, and a corpus that cannot be indexed stops <c>serve</c> at once with the reason.
/// Registered before the adapters: hosted services start in registration order, and the web server last.
/// </summary>
internal sealed class IndexWarmup(ICaseBot bot, ILogger<IndexWarmup> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = bot.Status;
        log.LogInformation("Index ready: {Documents} documents, {Passages} passages, built {BuiltAt:u} from corpus fingerprint {Fingerprint} ({Corpus}).",
            s.Documents, s.Passages, s.BuiltAt, s.CorpusFingerprint, s.CorpusPath);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
