using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Core;

/// <summary>
/// The one entry point chat adapters and the host use. Thread-safe: questions keep being answered from the
/// current index while a reindex builds the next one aside; the swap is atomic.
/// </summary>
public interface ICaseBot
{
    Answer Ask(string question);

    /// <summary>The documents of the live index, in id order.</summary>
    IReadOnlyList<DocumentInfo> Documents { get; }

    /// <summary>Case-insensitive lookup by id (<c>004</c>); null when there is no such document.</summary>
    DocumentInfo? FindDocument(string id);

    IndexStatus Status { get; }

    /// <summary>Rebuild from the configured corpus folder: build aside, check, swap. Never throws for a bad
    /// corpus: the result says why it failed, and the previous index keeps answering.</summary>
    Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default);
}
