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
