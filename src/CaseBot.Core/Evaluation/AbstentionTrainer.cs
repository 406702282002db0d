using System.Globalization;
using CaseBot.Core.Answering;

namespace CaseBot.Core.Evaluation;

/// <summary>
/// Fits <see cref="AbstentionModel"/>: one example per question, labelled 1 when answering with the engine's chosen
/// sentence would be correct (a gold answer in the text and a gold document cited). First a logistic regression,
/// then boosted shallow trees on its log-odds (gradient boosting with Newton leaves over binned features). The
/// threshold maximises accuracy (correct answers plus declined unanswerables). Deterministic: same data, same model;
/// every constant is rounded while fitting, so the printed model is exactly the fitted one.
/// </summary>
public static class AbstentionTrainer
{
    public sealed record Report(AbstentionModel Model, double TrainAccuracy, double CrossValidatedAccuracy, int Examples)
    {
        /// <summary>Article-held-out accuracy of the logistic part alone, for comparison.</summary>
        public double LogisticCrossValidatedAccuracy { get; init; }
        /// <summary>Article-held-out accuracy at the shipped product threshold rather than the accuracy-optimal one.</summary>
        public double CrossValidatedAtDefaultThreshold { get; init; }
    }

    /// <summary>Boosting settings; the defaults were chosen by article-held-out accuracy on SQuAD 2.0 dev.</summary>
    public sealed record Options(int Rounds = 30, int Depth = 3, double Rate = 0.25, double Lambda = 10, int MinLeaf = 80, int Bins = 32, double L2 = 1e-3, int Iterations = 3000);

    private sealed record Example(double[] X, bool Correct, bool Answerable, string Group);

    public static Report Train(AnswerEngine engine, IReadOnlyList<GoldQuestion> gold, Options? options = null)
    {
        var o = options ?? new Options();
        var probe = new AnswerEngine(engine.Index, engine.Settings, AbstentionModel.Default with { Threshold = 0 });
        var examples = new List<Example>();
        foreach (var q in gold)
        {
            AnswerEngine.LastEvidence = null;
            var answer = probe.Ask(q.Question);
            if (AnswerEngine.LastEvidence is not { } evidence) continue; // declined before assessment: no sentence at all
            examples.Add(new Example(evidence.ToArray(), IsCorrect(q, answer), q.Answerable, q.Title ?? q.Id));
        }
        var model = Fit(examples, o);
        var unansweredUnanswerable = gold.Count(q => !q.Answerable) - examples.Count(e => !e.Answerable);
        var train = (Good(model, examples) + unansweredUnanswerable) / (double)gold.Count;

        // Two folds split by article, so the check never sees a question on an article it was fitted on.
        double cvCorrect = 0, cvLogistic = 0, cvAtDefault = 0;
        for (var fold = 0; fold < 2; fold++)
        {
            var f = fold;
            var training = examples.Where(e => Fold(e.Group) != f).ToList();
            var held = examples.Where(e => Fold(e.Group) == f).ToList();
            var fit = Fit(training, o);
            cvCorrect += Good(fit, held);
            cvAtDefault += Good(fit with { Threshold = AbstentionModel.Default.Threshold }, held);
            var logistic = WithBestThreshold(fit with { Trees = null }, training);
            cvLogistic += Good(logistic, held);
        }
        return new Report(model, train, (cvCorrect + unansweredUnanswerable) / gold.Count, examples.Count)
        {
            LogisticCrossValidatedAccuracy = (cvLogistic + unansweredUnanswerable) / gold.Count,
            CrossValidatedAtDefaultThreshold = (cvAtDefault + unansweredUnanswerable) / gold.Count,
        };
    }

    public static string ToCSharp(AbstentionModel m) =>
        $"new({F(m.Bias)}, [{string.Join(", ", m.Weights.Select(F))}], {F(m.Threshold)})" +
        (m.Trees is { } t ? $"\n{{\n    Trees = new({t.Depth}, [{string.Join(", ", t.Flat.Select(F))}]),\n}}" : "");

    private static string F(double x) => R(x).ToString(CultureInfo.InvariantCulture);

    private static double R(double x) => Math.Round(x, 4);

    private static int Fold(string group) => (int)(StableHash(group) % 2);

    private static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (var c in s) h = (h ^ c) * 16777619;
        return h;
    }

    private static bool IsCorrect(GoldQuestion q, Answer a)
    {
        if (!q.Answerable || !a.Answered) return false;
        var text = Scorer.Norm(a.Text);
        text = text[..Math.Min(300, text.Length)];
        return q.Answers.Any(g => text.Contains(Scorer.Norm(g), StringComparison.Ordinal)) && a.Citations.Any(c => q.Gold.Contains(c.DocId));
    }

    private static int Good(AbstentionModel m, List<Example> ex) =>
        ex.Count(e => m.Probability(e.X) >= m.Threshold ? e.Correct : !e.Answerable);

    private static AbstentionModel Fit(List<Example> ex, Options o)
    {
        var logistic = FitLogistic(ex, o.L2, o.Iterations);
        var model = o.Rounds > 0 ? logistic with { Trees = Boost(ex, logistic, o) } : logistic;
        return WithBestThreshold(model, ex);
    }

    /// <summary>The threshold that maximises accuracy: answering helps only where it is right, declining only on unanswerables.</summary>
    private static AbstentionModel WithBestThreshold(AbstentionModel model, List<Example> ex)
    {
        var p = ex.Select(e => model.Probability(e.X)).ToArray();
        var best = (Threshold: 0.5, Good: -1);
        for (var step = 5; step <= 95; step++)
        {
            var t = step / 100.0;
            var good = 0;
            for (var i = 0; i < ex.Count; i++) good += (p[i] >= t ? ex[i].Correct : !ex[i].Answerable) ? 1 : 0;
            if (good > best.Good) best = (t, good);
        }
        return model with { Threshold = best.Threshold };
    }

    private static AbstentionModel FitLogistic(List<Example> ex, double l2, int iterations)
    {
        var n = Evidence.Count;
        var w = new double[n];
        double b = 0;
        const double rate = 0.5;
        for (var it = 0; it < iterations; it++)
        {
            var gw = new double[n];
            double gb = 0;
            foreach (var e in ex)
            {
                var z = b;
                for (var i = 0; i < n; i++) z += w[i] * e.X[i];
                var err = 1 / (1 + Math.Exp(-z)) - (e.Correct ? 1 : 0);
                gb += err;
                for (var i = 0; i < n; i++) gw[i] += err * e.X[i];
            }
            b -= rate * gb / ex.Count;
            for (var i = 0; i < n; i++) w[i] -= rate * (gw[i] / ex.Count + l2 * w[i]);
        }
        return new AbstentionModel(R(b), w.Select(R).ToArray(), 0.5);
    }

    /// <summary>
    /// Gradient boosting of complete depth-<see cref="Options.Depth"/> trees on the logistic loss, starting from the
    /// logistic model's log-odds. Split candidates are per-feature quantile midpoints, rounded like the printed model.
    /// </summary>
    private static TreeEnsemble Boost(List<Example> ex, AbstentionModel start, Options o)
    {
        var n = Evidence.Count;
        var thresholds = new double[n][];
        var bins = new int[ex.Count, n];
        for (var f = 0; f < n; f++)
        {
            var values = ex.Select(e => e.X[f]).Distinct().Order().ToArray();
            var cuts = new SortedSet<double>();
            if (values.Length <= o.Bins)
                for (var i = 0; i + 1 < values.Length; i++) cuts.Add(R((values[i] + values[i + 1]) / 2));
            else
            {
                var sorted = ex.Select(e => e.X[f]).Order().ToArray();
                for (var q = 1; q < o.Bins; q++)
                {
                    var v = sorted[q * sorted.Length / o.Bins];
                    var next = Array.BinarySearch(values, v) + 1;
                    if (next < values.Length) cuts.Add(R((v + values[next]) / 2));
                }
            }
            thresholds[f] = cuts.ToArray();
            for (var i = 0; i < ex.Count; i++)
            {
                var x = ex[i].X[f];
                var bin = 0;
                while (bin < thresholds[f].Length && thresholds[f][bin] < x) bin++;
                bins[i, f] = bin;
            }
        }

        var score = ex.Select(e => start.LogOdds(e.X)).ToArray();
        var inner = (1 << o.Depth) - 1;
        var flat = new List<double>();
        var g = new double[ex.Count];
        var h = new double[ex.Count];
        for (var round = 0; round < o.Rounds; round++)
        {
            for (var i = 0; i < ex.Count; i++)
            {
                var p = 1 / (1 + Math.Exp(-score[i]));
                g[i] = p - (ex[i].Correct ? 1 : 0);
                h[i] = Math.Max(p * (1 - p), 1e-6);
            }
            var tree = new double[2 * inner + (1 << o.Depth)];
            var members = new List<int>[inner + (1 << o.Depth)];
            members[0] = Enumerable.Range(0, ex.Count).ToList();
            for (var node = 0; node < inner; node++)
            {
                var (feature, cut) = BestSplit(members[node], g, h, bins, thresholds, o);
                tree[2 * node] = feature;
                tree[2 * node + 1] = cut < 0 ? 1e9 : thresholds[feature][cut];
                members[2 * node + 1] = members[node].Where(i => cut < 0 || bins[i, feature] <= cut).ToList();
                members[2 * node + 2] = members[node].Where(i => cut >= 0 && bins[i, feature] > cut).ToList();
            }
            for (var leaf = 0; leaf < 1 << o.Depth; leaf++)
            {
                var m = members[inner + leaf];
                var value = m.Count == 0 ? 0 : R(-o.Rate * m.Sum(i => g[i]) / (m.Sum(i => h[i]) + o.Lambda));
                tree[2 * inner + leaf] = value;
                foreach (var i in m) score[i] += value;
            }
            flat.AddRange(tree);
        }
        return new TreeEnsemble(o.Depth, flat.ToArray());
    }

    private static (int Feature, int Cut) BestSplit(List<int> members, double[] g, double[] h, int[,] bins, double[][] thresholds, Options o)
    {
        double gAll = 0, hAll = 0;
        foreach (var i in members) { gAll += g[i]; hAll += h[i]; }
        var parent = gAll * gAll / (hAll + o.Lambda);
        var best = (Feature: 0, Cut: -1, Gain: 1e-9);
        for (var f = 0; f < thresholds.Length; f++)
        {
            var k = thresholds[f].Length + 1;
            var gs = new double[k];
            var hs = new double[k];
            var cs = new int[k];
            foreach (var i in members) { var b = bins[i, f]; gs[b] += g[i]; hs[b] += h[i]; cs[b]++; }
            double gl = 0, hl = 0;
            var cl = 0;
            for (var cut = 0; cut < k - 1; cut++)
            {
                gl += gs[cut]; hl += hs[cut]; cl += cs[cut];
                if (cl < o.MinLeaf || members.Count - cl < o.MinLeaf) continue;
                var gr = gAll - gl;
                var hr = hAll - hl;
                var gain = gl * gl / (hl + o.Lambda) + gr * gr / (hr + o.Lambda) - parent;
                if (gain > best.Gain) best = (f, cut, gain);
            }
        }
        return (best.Feature, best.Cut);
    }
}
