using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// The sentence vectors of one index build, stored beside it as <c>embeddings.bin</c>: per sentence, in index order,
/// the SHA-256 of its text (first 16 bytes) and its vector. A rebuild reads the previous build's file and encodes only
/// sentences whose text it has not seen, so reindexing an unchanged corpus encodes nothing.
/// </summary>
public static class EmbeddingFile
{
    public const string FileName = "embeddings.bin";
    private const int KeyBytes = 16;
    private const int Magic = 0x4D4C4531; // "MLE1"

    public static byte[] Key(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text))[..KeyBytes];

    public static void Write(string folder, IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors)
    {
        using var stream = File.Create(Path.Combine(folder, FileName));
        using var w = new BinaryWriter(stream);
        w.Write(Magic);
        w.Write(texts.Count);
        w.Write(SentenceEmbedder.Dimensions);
        for (var i = 0; i < texts.Count; i++)
        {
            w.Write(Key(texts[i]));
            foreach (var x in vectors[i]) w.Write(x);
        }
    }

    /// <summary>Vectors in index order, or null when the file is missing or not this format.</summary>
    public static float[][]? Read(string folder) => ReadEntries(folder)?.Select(e => e.Vector).ToArray();

    /// <summary>Key → vector of every entry, for reuse by the next build; empty when there is no usable file.</summary>
    public static Dictionary<string, float[]> ReadCache(string folder)
    {
        var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (key, vector) in ReadEntries(folder) ?? []) cache[Convert.ToHexString(key)] = vector;
        return cache;
    }

    private static List<(byte[] Key, float[] Vector)>? ReadEntries(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            if (r.ReadInt32() != Magic) return null;
            var count = r.ReadInt32();
            var dims = r.ReadInt32();
            if (dims != SentenceEmbedder.Dimensions || count < 0) return null;
            var entries = new List<(byte[], float[])>(count);
            for (var i = 0; i < count; i++)
            {
                var key = r.ReadBytes(KeyBytes);
                var v = new float[dims];
                for (var d = 0; d < dims; d++) v[d] = r.ReadSingle();
                entries.Add((key, v));
            }
            return entries;
        }
        catch (EndOfStreamException)
        {
            return null; // a build killed half-way: treat as absent
        }
    }

    /// <summary>
    /// Encodes <paramref name="texts"/>, reusing vectors from the newest sibling build in <paramref name="indexRoot"/>.
    /// Returns how many texts had to be encoded.
    /// </summary>
    public static int Build(string folder, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var parent = Path.GetDirectoryName(Path.GetFullPath(folder));
        if (parent is not null && Directory.Exists(parent))
        {
            var previous = Directory.GetDirectories(parent)
                .Where(d => !string.Equals(Path.GetFullPath(d), Path.GetFullPath(folder), StringComparison.Ordinal) && File.Exists(Path.Combine(d, FileName)))
                .OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d, FileName)))
                .FirstOrDefault();
            if (previous is not null) cache = ReadCache(previous);
        }
        var vectors = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (cache.TryGetValue(Convert.ToHexString(Key(texts[i])), out var v)) vectors[i] = v;
            else missing.Add(i);
        }
        if (missing.Count > 0)
        {
            var encoded = SentenceEmbedder.Instance.Encode(missing.Select(i => texts[i]).ToList(), cancellationToken);
            for (var k = 0; k < missing.Count; k++) vectors[missing[k]] = encoded[k];
        }
        Write(folder, texts, vectors);
        return missing.Count;
    }
}
