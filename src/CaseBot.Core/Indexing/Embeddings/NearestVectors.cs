using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// The stored sentence vectors' nearest neighbours of a question, selected by the exact <see cref="SentenceEmbedder.Cosine"/>
/// yet mostly read from int8 copies multiplied by an int16 copy of the question: a quarter of the memory traffic of
/// the float scan, which on SQuAD's 7,470 sentences did not fit in cache, and exact integer sums (semantic scan 1.2
/// ms a question with floats, 0.4 ms with int8 rows, less with integer products). Each row keeps a bound on how far
/// its approximate cosine can be from the exact one, so only rows that could reach the top (about a hundred) are
/// compared exactly, and the answer is the float scan's, bit for bit.
/// </summary>
public sealed class NearestVectors
{
    private readonly float[][] _vectors;
    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly float[] _errors;
    private readonly int _width;
    private readonly float _longestRow;
    private const int QuestionSteps = 16_383;

    public NearestVectors(float[][] vectors)
    {
        _vectors = vectors;
        _width = vectors.Length == 0 ? 0 : vectors[0].Length;
        _codes = new sbyte[vectors.Length * _width];
        _scales = new float[vectors.Length];
        _errors = new float[vectors.Length];
        for (var row = 0; row < vectors.Length; row++)
        {
            var v = vectors[row];
            if (v.Length != _width) throw new ArgumentException($"vector {row} has {v.Length} numbers, not {_width}", nameof(vectors));
            var max = 0f;
            foreach (var x in v) max = Math.Max(max, Math.Abs(x));
            var scale = max > 0 ? max / 127f : 1f;
            double residual = 0, length = 0;
            for (var i = 0; i < _width; i++)
            {
                var code = (sbyte)Math.Clamp(MathF.Round(v[i] / scale), -127, 127);
                _codes[row * _width + i] = code;
                var r = (double)v[i] - (double)scale * code;
                residual += r * r;
                length += (double)scale * code * ((double)scale * code);
            }
            _scales[row] = scale;
            _longestRow = Math.Max(_longestRow, (float)Math.Sqrt(length));
            // |q·v − q·v̂| ≤ ‖q‖·‖v − v̂‖ for a unit question (the margin covers its norm's rounding); DotRoundingError
            // covers the exact cosine's float sum and the approximate one's final float products.
            _errors[row] = (float)(Math.Sqrt(residual) * 1.0001) + SentenceEmbedder.DotRoundingError;
        }
    }

    public int Count => _vectors.Length;

    /// <summary>A question in the form the scan reads: int16 numbers, their scale and the bound on their rounding.</summary>
    public sealed class Probe
    {
        internal Probe(short[] codes, float scale, float error) => (Codes, Scale, Error) = (codes, scale, error);

        internal short[] Codes { get; }
        internal float Scale { get; }

        /// <summary>How far the rounding of the question's numbers can move any row's approximate cosine.</summary>
        public float Error { get; }
    }

    /// <summary>The question rounded to int16 (16,383 steps to its largest number, so no sum of products overflows).</summary>
    public Probe For(float[] question)
    {
        if (question.Length != _width) throw new ArgumentException($"question has {question.Length} numbers, not {_width}", nameof(question));
        var max = 0f;
        foreach (var x in question) max = Math.Max(max, Math.Abs(x));
        var scale = max > 0 ? max / QuestionSteps : 1f;
        var codes = new short[_width];
        double residual = 0;
        for (var i = 0; i < _width; i++)
        {
            codes[i] = (short)Math.Clamp(MathF.Round(question[i] / scale), -QuestionSteps, QuestionSteps);
            var r = (double)question[i] - (double)scale * codes[i];
            residual += r * r;
        }
        // |(q − q̂)·v̂| ≤ ‖q − q̂‖·‖v̂‖, and no row's rounded copy is longer than _longestRow.
        return new Probe(codes, scale, (float)(Math.Sqrt(residual) * _longestRow * 1.0001));
    }

    /// <summary>A row's cosine with the question from the two rounded copies: within <see cref="ErrorBound"/> of the exact one.</summary>
    public float Approximate(Probe question, int row) =>
        question.Scale * _scales[row] * Dot(_codes.AsSpan(row * _width, _width), question.Codes);

    /// <summary>How far <see cref="Approximate"/> may be from <see cref="SentenceEmbedder.Cosine"/> for this row.</summary>
    public float ErrorBound(Probe question, int row) => _errors[row] + question.Error;

    /// <summary>The exact integer dot product; AVX2 multiplies and adds pairs of int16 into int32 lanes.</summary>
    internal static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> question, bool simd = true)
    {
        var i = 0;
        var sum = 0;
        if (simd && Avx2.IsSupported && row.Length >= 16)
        {
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var q = ref MemoryMarshal.GetReference(question);
            var acc = Vector256<int>.Zero;
            for (; i + 16 <= row.Length; i += 16)
            {
                var widened = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(widened, Vector256.LoadUnsafe(ref q, (nuint)i)));
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < row.Length; i++) sum += row[i] * question[i];
        return sum;
    }

    /// <summary>
    /// The <paramref name="k"/> eligible rows, not excluded, with the greatest exact cosine to the question, best first;
    /// ties go to the earlier row.
    /// </summary>
    public List<int> Nearest(float[] question, int k, bool[] eligible, IReadOnlySet<int> excluded, int splitRows = int.MaxValue)
    {
        if (k <= 0 || Count == 0) return [];
        var probe = For(question);
        var approximate = ArrayPool<float>.Shared.Rent(Count);
        var skipped = excluded.Where(row => row >= 0 && row < Count).Order().ToArray();
        // First pass: the k-th greatest lower bound. A row whose upper bound is below it has k rows surely above it.
        // From splitRows rows the scan is split in two halves, one on another core: the k-th greatest of the halves' k
        // greatest each is the whole scan's, so the answer is the same.
        float[] lowest;
        if (Count >= splitRows)
        {
            var half = Count / 2;
            var other = Task.Run(() => Bounds(probe, half, Count, k, eligible, skipped, approximate));
            var mine = Bounds(probe, 0, half, k, eligible, skipped, approximate);
            lowest = [.. mine, .. other.GetAwaiter().GetResult()];
        }
        else lowest = Bounds(probe, 0, Count, k, eligible, skipped, approximate);
        Array.Sort(lowest);
        var cutoff = lowest.Length < k ? float.NegativeInfinity : lowest[^k];

        var best = new PriorityQueue<int, (float Cosine, int Row)>(k + 1, WorstFirst.Instance);
        for (var row = 0; row < Count; row++)
        {
            var a = approximate[row];
            if (float.IsNaN(a) || a + ErrorBound(probe, row) < cutoff) continue;
            best.Enqueue(row, (SentenceEmbedder.Cosine(question, _vectors[row]), row));
            if (best.Count > k) best.Dequeue();
        }
        ArrayPool<float>.Shared.Return(approximate);
        var result = new List<int>(best.Count);
        while (best.TryDequeue(out var row, out _)) result.Add(row);
        result.Reverse();
        return result;
    }

    /// <summary>Rows <paramref name="from"/> to <paramref name="to"/>: each one's approximate cosine into
    /// <paramref name="approximate"/> (NaN when skipped or not eligible), and the <paramref name="k"/> greatest lower bounds.</summary>
    private float[] Bounds(Probe probe, int from, int to, int k, bool[] eligible, int[] skipped, float[] approximate)
    {
        var lower = new PriorityQueue<int, float>(k + 1);
        var kth = float.NegativeInfinity;
        var next = Array.BinarySearch(skipped, from);
        if (next < 0) next = ~next;
        for (var row = from; row < to; row++)
        {
            if (next < skipped.Length && skipped[next] == row)
            {
                next++;
                approximate[row] = float.NaN;
                continue;
            }
            if (!eligible[row])
            {
                approximate[row] = float.NaN;
                continue;
            }
            var bound = (approximate[row] = Approximate(probe, row)) - ErrorBound(probe, row);
            if (lower.Count < k) lower.Enqueue(row, bound);
            else if (bound > kth) lower.EnqueueDequeue(row, bound);
            if (lower.Count == k) lower.TryPeek(out _, out kth);
        }
        var result = new float[lower.Count];
        for (var i = 0; lower.TryDequeue(out _, out var bound); i++) result[i] = bound;
        return result;
    }

    /// <summary>The queue's head is the row to drop first: the lowest cosine, and of equal ones the later row.</summary>
    private sealed class WorstFirst : IComparer<(float Cosine, int Row)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Cosine, int Row) x, (float Cosine, int Row) y)
        {
            var byCosine = x.Cosine.CompareTo(y.Cosine);
            return byCosine != 0 ? byCosine : y.Row.CompareTo(x.Row);
        }
    }
}
