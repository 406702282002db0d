namespace CaseBot.Core.Indexing;

/// <summary>What the live index was built from, and when; <see cref="Skipped"/> names the corpus files it left out
/// and why (empty when none, or unknown for a build made before this was recorded).</summary>
public sealed record IndexStatus(
    DateTimeOffset BuiltAt, string CorpusFingerprint, int Documents, int Passages, string CorpusPath, string IndexPath,
    IReadOnlyList<string>? Skipped = null)
{
    public IReadOnlyList<string> Skipped { get; init; } = Skipped ?? [];
}

/// <summary>The outcome of one reindex; <see cref="Message"/> is fit to show a moderator.</summary>
public sealed record ReindexResult(
    bool Succeeded, int Documents, int Passages, double Seconds, string Message, string RequestedBy);
