using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web.Moderation;

/// <summary>A reindex as the host remembers it: the engine's result and when it finished.</summary>
public sealed record ReindexRecord(ReindexResult Result, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);

/// <summary>
/// Wraps the engine so that every reindex — chat command, web button, corpus watcher, whoever asks — is
/// remembered for <c>/api/status</c> and its start is logged. The engine itself logs each result (who, when,
/// documents, passages, seconds) and counts it in <see cref="IBotMetrics"/>, so this class does neither again.
/// Questions pass straight through.
/// </summary>
public sealed class AuditedCaseBot(ICaseBot inner, TimeProvider time, ILogger<AuditedCaseBot> log) : ICaseBot
{
    private ReindexRecord? _last;

    public ICaseBot Inner => inner;

    public ReindexRecord? LastReindex => Volatile.Read(ref _last);

    public Answer Ask(string question) => inner.Ask(question);

    public IReadOnlyList<DocumentInfo> Documents => inner.Documents;

    public DocumentInfo? FindDocument(string id) => inner.FindDocument(id);

    public IndexStatus Status => inner.Status;

    public async Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        var started = time.GetUtcNow();
        log.LogInformation("Reindex requested by {RequestedBy} at {StartedAt:O}", requestedBy, started);
        ReindexResult result;
        try
        {
            result = await inner.ReindexAsync(requestedBy, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The engine turns a bad corpus into a failed result; anything that still escapes (a bug) gets a line.
            log.LogError(ex, "Reindex requested by {RequestedBy} at {StartedAt:O} aborted: {Reason}", requestedBy, started, ex.Message);
            throw;
        }
        Volatile.Write(ref _last, new ReindexRecord(result, started, time.GetUtcNow()));
        return result;
    }
}
