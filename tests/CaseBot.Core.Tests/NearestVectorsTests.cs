using CaseBot.Core.Indexing.Embeddings;

namespace CaseBot.Core.Tests;

/// <summary>The int8 nearest-sentence scan (<see cref="NearestVectors"/>) against the exact float cosine it stands in for.</summary>
public class NearestVectorsTests
{
    private const int Width = SentenceEmbedder.Dimensions;

    [Fact]
    public void Approximate_cosine_stays_within_each_rows_error_bound()
    {
        var random = new Random(7);
        var rows = Rows(random, 400);
        var nearest = new NearestVectors(rows);
        for (var q = 0; q < 50; q++)
        {
            var question = q % 2 == 0 ? Unit(random) : Near(random, rows[q], 0.05);
            var probe = nearest.For(question);
            for (var row = 0; row < rows.Length; row++)
            {
                var exact = SentenceEmbedder.Cosine(question, rows[row]);
                var gap = Math.Abs(nearest.Approximate(probe, row) - exact);
                Assert.True(gap <= nearest.ErrorBound(probe, row), $"row {row}: approximate off by {gap}, bound {nearest.ErrorBound(probe, row)}");
            }
        }
    }

    [Fact]
    public void Bounds_are_tight_enough_to_leave_most_rows_out_of_the_exact_pass()
    {
        var rows = Rows(new Random(3), 200);
        var nearest = new NearestVectors(rows);
        var probe = nearest.For(rows[0]);
        // MiniLM-like rows (unit, 384 numbers) quantize to within about 0.01 (0.025 with one dominant number): well below
        // the spread of their cosines. The question's int16 copy adds almost nothing.
        Assert.All(Enumerable.Range(0, rows.Length), row => Assert.InRange(nearest.ErrorBound(probe, row), 1e-4f, 0.03f));
        Assert.InRange(probe.Error, 0, 1e-3f);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)] // the scan split in two halves, one on another thread
    public void Nearest_rows_are_the_exact_cosine_top_k_without_excluded_or_ineligible_rows_ties_to_the_earlier_row(int splitRows)
    {
        var random = new Random(11);
        var rows = Rows(random, 600);
        // Repeated sentences have equal vectors: their order must not depend on the scan.
        for (var i = 0; i < 40; i++) rows[300 + i] = rows[i * 3];
        var nearest = new NearestVectors(rows);
        var eligible = Enumerable.Range(0, rows.Length).Select(i => i % 7 != 0).ToArray();
        for (var q = 0; q < 40; q++)
        {
            var question = Near(random, rows[q * 3], 0.3);
            var excluded = new HashSet<int>(Enumerable.Range(0, rows.Length).Where(i => (i + q) % 11 == 0));
            foreach (var k in new[] { 1, 5, 20 })
            {
                var expected = Enumerable.Range(0, rows.Length)
                    .Where(i => eligible[i] && !excluded.Contains(i))
                    .OrderByDescending(i => SentenceEmbedder.Cosine(question, rows[i])).ThenBy(i => i)
                    .Take(k).ToList();
                Assert.Equal(expected, nearest.Nearest(question, k, eligible, excluded, splitRows));
            }
        }
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)] // every eligible row in the first half
    public void Asking_for_more_rows_than_are_eligible_returns_every_eligible_row_best_first(int splitRows)
    {
        var rows = Rows(new Random(5), 10);
        var nearest = new NearestVectors(rows);
        var eligible = Enumerable.Range(0, 10).Select(i => i < 4).ToArray();
        var found = nearest.Nearest(rows[2], 50, eligible, new HashSet<int> { 1 }, splitRows);
        Assert.Equal(3, found.Count);
        Assert.Equal(2, found[0]);
        Assert.Equal([0, 2, 3], found.Order());
        Assert.Empty(nearest.Nearest(rows[2], 0, eligible, new HashSet<int>(), splitRows));
    }

    [Fact]
    public void The_simd_integer_dot_product_equals_the_plain_sum_even_at_the_largest_codes()
    {
        var random = new Random(9);
        foreach (var width in new[] { 384, 390, 16, 7 })
        {
            var row = Enumerable.Range(0, width).Select(i => (sbyte)(i % 5 == 0 ? 127 * (i % 2 == 0 ? 1 : -1) : random.Next(-127, 128))).ToArray();
            var question = Enumerable.Range(0, width).Select(i => (short)(i % 3 == 0 ? 16_383 : random.Next(-16_383, 16_384))).ToArray();
            var expected = 0L;
            for (var i = 0; i < width; i++) expected += row[i] * question[i];
            Assert.Equal(expected, NearestVectors.Dot(row, question));
            Assert.Equal(expected, NearestVectors.Dot(row, question, simd: false));
        }
    }

    /// <summary>Unit rows, a few with one dominant number (a coarse int8 scale), as real embeddings sometimes have.</summary>
    private static float[][] Rows(Random random, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var v = Gaussian(random);
            if (i % 9 == 0) v[random.Next(Width)] += 12;
            return Normalise(v);
        }).ToArray();

    private static float[] Unit(Random random) => Normalise(Gaussian(random));

    private static float[] Near(Random random, float[] row, double noise)
    {
        var v = Gaussian(random);
        for (var i = 0; i < Width; i++) v[i] = row[i] + (float)noise * v[i] / MathF.Sqrt(Width);
        return Normalise(v);
    }

    private static float[] Gaussian(Random random) =>
        Enumerable.Range(0, Width).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    private static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
