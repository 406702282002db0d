using System.Text.Json;

namespace CaseBot.Core.Indexing;

/// <summary>Kept beside each built index: what it was built from, so a changed corpus is noticed.</summary>
public sealed record IndexManifest(
    int FormatVersion, string CorpusFingerprint, int Documents, int Passages, DateTimeOffset BuiltAt, string CorpusPath, double BuildSeconds)
{
    /// <summary>Bumped whenever the index layout or analysis changes, so old indexes are rebuilt, not misread.</summary>
    public const int CurrentFormat = 6; // 6: sentence embeddings beside the index
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    public static IndexManifest? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<IndexManifest>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }
}

/// <summary>
/// Kept beside each build by <see cref="IndexStore"/>: which file each document id came from (so the next reindex
/// keeps an existing document when a newcomer repeats its id) and the corpus files that were skipped and why (shown in
/// the console's index status by every process that opens the build).
/// </summary>
public sealed record IndexBuildNotes(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Skipped)
{
    public const string FileName = "build-notes.json";

    public void Save(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));

    public static IndexBuildNotes? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            if (!File.Exists(path)) return null;
            var notes = JsonSerializer.Deserialize<IndexBuildNotes>(File.ReadAllText(path));
            return notes is null ? null : notes with
            {
                Files = new Dictionary<string, string>(notes.Files ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
                Skipped = notes.Skipped ?? [],
            };
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
