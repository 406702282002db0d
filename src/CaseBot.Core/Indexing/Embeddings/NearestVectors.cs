using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// The stored sentence vectors' nearest neighbours of a question, selected by the exact <see cref="SentenceEmbedder.Cosine"/>
/// yet mostly read from int8 copies: a quarter of the memory traffic of the float scan, which on SQuAD's 6,000
/// sentences did not fit in cache (`bench`: semantic scan 1.2 ms a question, 0.4 ms with this). Each row keeps a
/// bound on how far its approximate cosine can be from the exact one, so only rows that could reach the top are
/// compared exactly, and the answer is the float scan's, bit for bit.
/// </summary>
public sealed class NearestVectors
{
    private readonly float[][] _vectors;
    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly float[] _errors;
    private readonly int _width;

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
            double residual = 0;
            for (var i = 0; i < _width; i++)
            {
                var code = (sbyte)Math.Clamp(MathF.Round(v[i] / scale), -127, 127);
                _codes[row * _width + i] = code;
                var r = (double)v[i] - (double)scale * code;
                residual += r * r;
            }
            _scales[row] = scale;
            // |q·v − scale·(q·code)| ≤ ‖q‖·‖v − scale·code‖ for a unit question (the margin covers its norm's rounding);
            // DotRoundingError covers the float sums of both the approximate and the exact dot product.
            _errors[row] = (float)(Math.Sqrt(residual) * 1.0001) + SentenceEmbedder.DotRoundingError;
        }
    }

    public int Count => _vectors.Length;

    /// <summary>A row's cosine with a unit question from its int8 copy: within <see cref="ErrorBound"/> of the exact one.</summary>
    public float Approximate(float[] question, int row)
    {
        var codes = MemoryMarshal.Cast<sbyte, Vector<sbyte>>(_codes.AsSpan(row * _width, _width));
        var q = MemoryMarshal.Cast<float, Vector<float>>(question.AsSpan(0, _width));
        Vector<float> sum = default;
        for (var i = 0; i < codes.Length; i++)
        {
            // One sbyte vector widens to four float vectors, in element order.
            Vector.Widen(codes[i], out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            var at = i * 4;
            sum += Vector.ConvertToSingle(a) * q[at] + Vector.ConvertToSingle(b) * q[at + 1]
                 + Vector.ConvertToSingle(c) * q[at + 2] + Vector.ConvertToSingle(d) * q[at + 3];
        }
        var dot = Vector.Sum(sum);
        for (var i = codes.Length * Vector<sbyte>.Count; i < _width; i++) dot += _codes[row * _width + i] * question[i];
        return _scales[row] * dot;
    }

    /// <summary>How far <see cref="Approximate"/> may be from <see cref="SentenceEmbedder.Cosine"/> for this row.</summary>
    public float ErrorBound(int row) => _errors[row];

    /// <summary>
    /// The <paramref name="k"/> eligible rows, not excluded, with the greatest exact cosine to the question, best first;
    /// ties go to the earlier row.
    /// </summary>
    public List<int> Nearest(float[] question, int k, bool[] eligible, IReadOnlySet<int> excluded)
    {
        if (k <= 0 || Count == 0) return [];
        // First pass: the k-th greatest lower bound. A row whose upper bound is below it has k rows surely above it.
        var lower = new PriorityQueue<int, float>(k + 1);
        var approximate = ArrayPool<float>.Shared.Rent(Count);
        for (var row = 0; row < Count; row++)
        {
            if (!eligible[row] || excluded.Contains(row)) continue;
            var a = approximate[row] = Approximate(question, row);
            lower.Enqueue(row, a - _errors[row]);
            if (lower.Count > k) lower.Dequeue();
        }
        var cutoff = lower.Count < k || !lower.TryPeek(out _, out var kth) ? float.NegativeInfinity : kth;

        var best = new PriorityQueue<int, (float Cosine, int Row)>(k + 1, WorstFirst.Instance);
        for (var row = 0; row < Count; row++)
        {
            if (!eligible[row] || excluded.Contains(row) || approximate[row] + _errors[row] < cutoff) continue;
            best.Enqueue(row, (SentenceEmbedder.Cosine(question, _vectors[row]), row));
            if (best.Count > k) best.Dequeue();
        }
        ArrayPool<float>.Shared.Return(approximate);
        var result = new List<int>(best.Count);
        while (best.TryDequeue(out var row, out _)) result.Add(row);
        result.Reverse();
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
