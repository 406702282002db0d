using CaseBot.Core.Answering.Features;
using CaseBot.Core.Answering.Models;

namespace CaseBot.Core.Evaluation;

/// <summary>
/// Gradient-boosted complete binary trees on the weighted logistic loss (Newton leaves over quantile-binned
/// features). Deterministic: the same examples in the same order give the same model; constants are rounded while
/// fitting, so the written model is exactly the fitted one.
/// </summary>
public static class Gbdt
{
    public sealed record Options(int Rounds = 80, int Depth = 4, double Rate = 0.15, double Lambda = 5, double MinLeafWeight = 20, int Bins = 32);

    /// <summary>
    /// One model whose log-odds are the mean of <paramref name="models"/>' (fitted on the same features and depth): their
    /// trees one after another with leaves divided by their number, and the mean base.
    /// </summary>
    public static TreeModel Average(IReadOnlyList<TreeModel> models)
    {
        var first = models[0];
        if (models.Any(m => m.Depth != first.Depth || !m.Features.SequenceEqual(first.Features)))
            throw new ArgumentException("Only models of one depth over the same features can be averaged.", nameof(models));
        var trees = new List<double>();
        var size = first.TreeSize;
        var leavesFrom = 2 * first.Inner;
        foreach (var m in models)
            for (var at = 0; at < m.Trees.Length; at++)
                trees.Add(at % size >= leavesFrom ? m.Trees[at] / models.Count : m.Trees[at]);
        return new TreeModel { Features = first.Features, Depth = first.Depth, Base = models.Average(m => m.Base), Trees = trees.ToArray() };
    }

    /// <param name="groups">With groups (one id per example, each group's examples consecutive), the loss is listwise:
    /// a softmax over each group's scores against its positives, so the trees learn which candidate of a question is
    /// best rather than how good each is alone. Without, the pointwise logistic loss.</param>
    public static TreeModel Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, IReadOnlyList<double> w, Feature[] features, Options o, IReadOnlyList<int>? groups = null)
    {
        var n = x.Count;
        var f = features.Length;
        double positive = 0, total = 0;
        for (var i = 0; i < n; i++) { total += w[i]; if (y[i]) positive += w[i]; }
        var p0 = Math.Clamp(positive / Math.Max(total, 1e-9), 1e-4, 1 - 1e-4);
        var baseScore = R(Math.Log(p0 / (1 - p0)));

        var thresholds = new double[f][];
        var bins = new byte[n * f];
        for (var k = 0; k < f; k++)
        {
            var slot = (int)features[k];
            var sorted = new double[n];
            for (var i = 0; i < n; i++) sorted[i] = x[i][slot];
            Array.Sort(sorted);
            var cuts = new SortedSet<double>();
            for (var q = 1; q < o.Bins; q++)
            {
                var v = sorted[(long)q * n / o.Bins];
                var next = Array.FindIndex(sorted, (int)((long)q * n / o.Bins), s => s > v);
                if (next >= 0) cuts.Add(R((v + sorted[next]) / 2));
            }
            thresholds[k] = cuts.ToArray();
            for (var i = 0; i < n; i++)
            {
                var bin = Array.BinarySearch(thresholds[k], x[i][slot]);
                bins[i * f + k] = (byte)(bin >= 0 ? bin : ~bin);
            }
        }

        var score = new double[n];
        Array.Fill(score, baseScore);
        var g = new double[n];
        var h = new double[n];
        var inner = (1 << o.Depth) - 1;
        var flat = new List<double>();
        var node = new int[n];
        for (var round = 0; round < o.Rounds; round++)
        {
            if (groups is null) Pointwise(score, y, w, g, h);
            else Listwise(score, y, w, groups, g, h);
            var tree = new double[2 * inner + (1 << o.Depth)];
            Array.Clear(node);
            for (var level = 0; level < o.Depth; level++)
            {
                var first = (1 << level) - 1;
                var count = 1 << level;
                // Histograms for every node of this level in one pass over the examples.
                var gs = new double[count, f, o.Bins + 1];
                var hs = new double[count, f, o.Bins + 1];
                for (var i = 0; i < n; i++)
                {
                    var nd = node[i] - first;
                    if (nd < 0) continue; // parked in a leaf above (a node that did not split)
                    for (var k = 0; k < f; k++) { var b = bins[i * f + k]; gs[nd, k, b] += g[i]; hs[nd, k, b] += h[i]; }
                }
                var split = new (int Feature, int Cut)[count];
                for (var nd = 0; nd < count; nd++)
                {
                    double gAll = 0, hAll = 0;
                    for (var b = 0; b <= o.Bins; b++) { gAll += gs[nd, 0, b]; hAll += hs[nd, 0, b]; }
                    var parent = gAll * gAll / (hAll + o.Lambda);
                    var best = (Feature: 0, Cut: -1, Gain: 1e-9);
                    for (var k = 0; k < f; k++)
                    {
                        double gl = 0, hl = 0;
                        for (var cut = 0; cut < thresholds[k].Length; cut++)
                        {
                            gl += gs[nd, k, cut]; hl += hs[nd, k, cut];
                            var hr = hAll - hl;
                            if (hl < o.MinLeafWeight * 0.25 || hr < o.MinLeafWeight * 0.25) continue;
                            var gr = gAll - gl;
                            var gain = gl * gl / (hl + o.Lambda) + gr * gr / (hr + o.Lambda) - parent;
                            if (gain > best.Gain) best = (k, cut, gain);
                        }
                    }
                    split[nd] = (best.Feature, best.Cut);
                    tree[2 * (first + nd)] = best.Feature;
                    tree[2 * (first + nd) + 1] = best.Cut < 0 ? 1e9 : thresholds[best.Feature][best.Cut];
                }
                for (var i = 0; i < n; i++)
                {
                    var nd = node[i] - first;
                    var (k, cut) = split[nd];
                    node[i] = 2 * node[i] + (cut < 0 || bins[i * f + k] <= cut ? 1 : 2);
                }
            }
            var leafG = new double[1 << o.Depth];
            var leafH = new double[1 << o.Depth];
            for (var i = 0; i < n; i++) { leafG[node[i] - inner] += g[i]; leafH[node[i] - inner] += h[i]; }
            for (var leaf = 0; leaf < 1 << o.Depth; leaf++)
                tree[2 * inner + leaf] = leafH[leaf] == 0 ? 0 : R(-o.Rate * leafG[leaf] / (leafH[leaf] + o.Lambda));
            for (var i = 0; i < n; i++) score[i] += tree[2 * inner + node[i] - inner];
            flat.AddRange(tree);
        }
        return new TreeModel { Features = features.Select(ft => ft.ToString()).ToArray(), Base = baseScore, Depth = o.Depth, Trees = flat.ToArray() }.Bind();
    }

    private static void Pointwise(double[] score, IReadOnlyList<bool> y, IReadOnlyList<double> w, double[] g, double[] h)
    {
        for (var i = 0; i < score.Length; i++)
        {
            var p = 1 / (1 + Math.Exp(-score[i]));
            g[i] = w[i] * (p - (y[i] ? 1 : 0));
            h[i] = w[i] * Math.Max(p * (1 - p), 1e-6);
        }
    }

    private static void Listwise(double[] score, IReadOnlyList<bool> y, IReadOnlyList<double> w, IReadOnlyList<int> groups, double[] g, double[] h)
    {
        for (var start = 0; start < score.Length;)
        {
            var end = start;
            while (end < score.Length && groups[end] == groups[start]) end++;
            double max = double.NegativeInfinity, sum = 0;
            var positives = 0;
            for (var i = start; i < end; i++) { max = Math.Max(max, score[i]); if (y[i]) positives++; }
            for (var i = start; i < end; i++) sum += Math.Exp(score[i] - max);
            for (var i = start; i < end; i++)
            {
                var p = Math.Exp(score[i] - max) / sum;
                var target = positives == 0 ? 0 : y[i] ? 1.0 / positives : 0;
                g[i] = w[i] * (p - target);
                h[i] = w[i] * Math.Max(p * (1 - p), 1e-6);
            }
            start = end;
        }
    }

    private static double R(double v) => Math.Round(v, 5);
}
