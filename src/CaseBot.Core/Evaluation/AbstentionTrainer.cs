using System.Globalization;
using CaseBot.Core.Answering;

namespace CaseBot.Core.Evaluation;

/// <summary>
/// Fits <see cref="AbstentionModel"/> by logistic regression: one example per question, labelled 1 when answering
/// with the engine's chosen sentence would be correct (a gold answer in the text and a gold document cited). The
/// threshold maximises accuracy (correct answers plus declined unanswerables). Deterministic: same data, same model.
/// </summary>
public static class AbstentionTrainer
{
    public sealed record Report(AbstentionModel Model, double TrainAccuracy, double CrossValidatedAccuracy, int Examples);

    public static Report Train(AnswerEngine engine, IReadOnlyList<GoldQuestion> gold, double l2 = 1e-3, int iterations = 3000)
    {
        var probe = new AnswerEngine(engine.Index, engine.Settings, AbstentionModel.Default with { Threshold = 0 });
        var examples = new List<(double[] X, bool Correct, bool Answerable, string Group)>();
        foreach (var q in gold)
        {
            AnswerEngine.LastEvidence = null;
            var answer = probe.Ask(q.Question);
            if (AnswerEngine.LastEvidence is not { } evidence) continue; // declined before assessment: no sentence at all
            examples.Add((evidence.ToArray(), IsCorrect(q, answer), q.Answerable, q.Title ?? q.Id));
        }
        var declinedUpFront = gold.Count - examples.Count;
        var model = Fit(examples, l2, iterations);
        var train = Accuracy(model, examples, declinedUpFront, gold);

        // Two folds split by article, so the check never sees a question on an article it was fitted on.
        double cvCorrect = 0;
        for (var fold = 0; fold < 2; fold++)
        {
            var f = fold;
            var fit = Fit(examples.Where(e => Fold(e.Group) != f).ToList(), l2, iterations);
            var held = examples.Where(e => Fold(e.Group) == f).ToList();
            cvCorrect += held.Count(e => fit.Probability(e.X) >= fit.Threshold ? e.Correct : !e.Answerable);
        }
        var unansweredUnanswerable = gold.Count(q => !q.Answerable) - examples.Count(e => !e.Answerable);
        return new Report(model, train, (cvCorrect + unansweredUnanswerable) / gold.Count, examples.Count);
    }

    public static string ToCSharp(AbstentionModel m) =>
        $"new({F(m.Bias)}, [{string.Join(", ", m.Weights.Select(F))}], {F(m.Threshold)})";

    private static string F(double x) => Math.Round(x, 4).ToString(CultureInfo.InvariantCulture);

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

    private static double Accuracy(AbstentionModel m, List<(double[] X, bool Correct, bool Answerable, string Group)> ex, int declinedUpFront, IReadOnlyList<GoldQuestion> gold)
    {
        var unansweredUnanswerable = gold.Count(q => !q.Answerable) - ex.Count(e => !e.Answerable);
        var good = ex.Count(e => m.Probability(e.X) >= m.Threshold ? e.Correct : !e.Answerable);
        return (double)(good + unansweredUnanswerable) / gold.Count;
    }

    private static AbstentionModel Fit(List<(double[] X, bool Correct, bool Answerable, string Group)> ex, double l2, int iterations)
    {
        var n = Evidence.Count;
        var w = new double[n];
        double b = 0;
        const double rate = 0.5;
        for (var it = 0; it < iterations; it++)
        {
            var gw = new double[n];
            double gb = 0;
            foreach (var (x, y, _, _) in ex)
            {
                var z = b;
                for (var i = 0; i < n; i++) z += w[i] * x[i];
                var err = 1 / (1 + Math.Exp(-z)) - (y ? 1 : 0);
                gb += err;
                for (var i = 0; i < n; i++) gw[i] += err * x[i];
            }
            b -= rate * gb / ex.Count;
            for (var i = 0; i < n; i++) w[i] -= rate * (gw[i] / ex.Count + l2 * w[i]);
        }
        var model = new AbstentionModel(b, w, 0.5);
        // Pick the threshold that maximises accuracy: answering helps only where it is right, declining only on unanswerables.
        var best = (Threshold: 0.5, Good: -1);
        for (var t = 0.05; t < 0.96; t += 0.01)
        {
            var good = ex.Count(e => model.Probability(e.X) >= t ? e.Correct : !e.Answerable);
            if (good > best.Good) best = (t, good);
        }
        return model with { Threshold = Math.Round(best.Threshold, 2) };
    }
}
