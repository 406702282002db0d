namespace CaseBot.Core.Indexing;

/// <summary>What the live index was built from, and when.</summary>
public sealed record IndexStatus(
    DateTimeOffset BuiltAt, string CorpusFingerprint, int Documents, int Passages, string CorpusPath, string IndexPath);

/// <summary>The outcome of one reindex; <see cref="Message"/> is fit to show a moderator.</summary>
public sealed record ReindexResult(
    bool Succeeded, int Documents, int Passages, double Seconds, string Message, string RequestedBy);
