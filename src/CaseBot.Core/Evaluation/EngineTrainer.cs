using System.Globalization;
using System.Text;
using CaseBot.Core.Answering;
using CaseBot.Core.Answering.Features;
using CaseBot.Core.Answering.Models;

namespace CaseBot.Core.Evaluation;

/// <summary>
/// Fits the engine's ranker and decider with folds and reports cross-validated figures. Folds are by article for
/// the yardstick (no article's questions on both sides) and by question for the case sets. The ranker is fitted
/// per fold and scores only its held-out fold; the decider learns from those out-of-fold rankings, so neither ever
/// grades its own training data; the threshold maximises the mean of the sets' accuracies over out-of-fold
/// probabilities. The shipped model is then fitted on everything the same way. Same data: same model.
/// </summary>
public static class EngineTrainer
{
    /// <summary>One question set: its engine (own index), questions, weight of each question, and fold grouping.</summary>
    public sealed record QuestionSet(string Name, AnswerEngine Engine, IReadOnlyList<GoldQuestion> Questions, double Weight, bool FoldByArticle)
    {
        /// <summary>Whether the threshold is chosen for this set's accuracy too (false for made-up negatives).</summary>
        public bool InObjective { get; init; } = true;
    }

    /// <summary>
    /// Off-topic negatives: questions written for another corpus, asked of this one, are unanswerable here. Members ask
    /// off-topic things ("who won the league?") that the adversarial yardstick never shows the decider.
    /// </summary>
    public static IReadOnlyList<GoldQuestion> OffTopic(IEnumerable<GoldQuestion> foreign, int count) =>
        foreign.Where(q => q.Answerable).OrderBy(q => StableHash(q.Id)).Take(count)
            .Select(q => q with { Id = "offtopic-" + q.Id, Answerable = false, Answers = [], GoldDocs = [], GoldDoc = null }).ToList();

    /// <param name="Listwise">Fit the ranker with the listwise (softmax per question) loss instead of the pointwise one.</param>
    /// <param name="DeciderBags">Deciders fitted, each on its own fixed four fifths of the questions, and averaged: one
    /// boosted fit moves a chat question's probability by up to 0.2 when three yardstick questions change.</param>
    /// <param name="FoldSeed">0: the shipped folds. Another value deals the questions into other folds, to see how much
    /// of a difference between two trials is the luck of one split.</param>
    /// <param name="OneThreshold">One threshold for every corpus, on the mean accuracy of all sets, instead of one per
    /// corpus on its own sets'.</param>
    public sealed record Options(int Folds = 5, Gbdt.Options? Ranker = null, Gbdt.Options? Decider = null, bool Listwise = false, int DeciderBags = 1, int FoldSeed = 0,
        bool OneThreshold = false);

    public sealed record SetFigures(string Set, int Answerable, int Unanswerable, int Correct, int Declined, int Hit, int RankTop1, int Bm25Top1)
    {
        public double Accuracy => (Correct + Declined) / (double)Math.Max(1, Answerable + Unanswerable);
        public double AnswerHit => Hit / (double)Math.Max(1, Answerable);
    }

    public sealed record Report(EngineModel Model, IReadOnlyList<SetFigures> CrossValidated, double CrossValidatedThreshold)
    {
        /// <summary>Per set, the out-of-fold run lines (score.py's format): each question answered by models and a
        /// threshold fitted without its fold, so score.py's figures on them are cross-validated.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<RunLine>> OutOfFoldRuns { get; init; } = new Dictionary<string, IReadOnlyList<RunLine>>();
        /// <summary>Per question: set, id, answerable, out-of-fold correct and probability (for `train --dump`).</summary>
        public IReadOnlyList<string> OutOfFold { get; init; } = [];
        /// <summary>Out-of-fold accuracy of each set at a few thresholds: the operating points.</summary>
        public IReadOnlyList<(double Threshold, double[] Accuracy, double[] AnswerHit)> Sweep { get; init; } = [];
    }

    private sealed class Item
    {
        public required GoldQuestion Gold { get; init; }
        public required int Set { get; init; }
        public int Fold { get; set; }
        public required double Weight { get; init; }
        public required AnswerEngine Engine { get; init; }
        public AnswerEngine.Gathered? Gathered { get; init; }
        public bool[] Labels { get; init; } = [];
        public string Cleaned { get; init; } = "";
        // Out-of-fold ranking results.
        public FeatureVector? Decision { get; set; }
        public bool Correct { get; set; }
        public bool RankTop1 { get; set; }
        /// <summary>Place of the first answering sentence in the out-of-fold ranking (-1: none among the candidates).</summary>
        public int GoldRank { get; set; } = -1;
        public double OutOfFold { get; set; }
        public bool Gated { get; set; }
        public Answer? Composed { get; set; }
    }

    private static readonly Feature[] RankerFeatures = Enumerable.Range(0, FeatureVector.CandidateCount).Select(i => (Feature)i).ToArray();
    private static readonly Feature[] DeciderFeatures = Enum.GetValues<Feature>();

    public static Report Train(IReadOnlyList<QuestionSet> sets, Options? options = null, Action<string>? progress = null) =>
        TrainSeeds(sets, options, [(options ?? new Options()).FoldSeed], progress)[0];

    /// <summary>
    /// The same training once per fold seed, the questions read and measured once: one report per seed, each with the
    /// figures of its own folds and the threshold they choose. How far the seeds' figures spread is how much one split's
    /// luck is worth. The model fitted on everything is fitted once, with the first seed (the decider learns from that
    /// seed's out-of-fold rankings); each report carries it with its own seed's threshold.
    /// </summary>
    public static IReadOnlyList<Report> TrainSeeds(IReadOnlyList<QuestionSet> sets, Options? options, IReadOnlyList<int> seeds, Action<string>? progress = null)
    {
        var o = options ?? new Options();
        var rankerOptions = o.Ranker ?? new Gbdt.Options();
        var deciderOptions = o.Decider ?? new Gbdt.Options(Rounds: 100, Depth: 3, Rate: 0.15, Lambda: 10, MinLeafWeight: 40);
        var items = new List<Item>();
        for (var s = 0; s < sets.Count; s++)
        {
            var set = sets[s];
            progress?.Invoke($"reading {set.Questions.Count} questions of {set.Name}");
            foreach (var q in set.Questions)
            {
                var cleaned = AnswerEngine.Clean(q.Question);
                var g = cleaned.Length == 0 ? null : set.Engine.Gather(cleaned);
                items.Add(new Item
                {
                    Gold = q, Set = s, Weight = set.Weight, Engine = set.Engine, Gathered = g, Cleaned = cleaned,
                    Labels = g is null ? [] : g.Retrieval.Candidates.Select(c => SentenceAnswers(set.Engine, q, c.Sentence)).ToArray(),
                });
            }
        }

        var reports = new List<Report>();
        (TreeModel Ranker, TreeModel Decider)? final = null;
        foreach (var seed in seeds)
        {
            if (seeds.Count > 1) progress?.Invoke($"fold seed {seed}");
            foreach (var item in items)
            {
                var set = sets[item.Set];
                item.Fold = (int)(StableHash((seed == 0 ? "" : $"{seed}#") + (set.FoldByArticle ? item.Gold.Title ?? item.Gold.Id : item.Gold.Id)) % (uint)o.Folds);
            }
            reports.Add(CrossValidate(items, sets, o, rankerOptions, deciderOptions, ref final, progress));
        }
        return reports;
    }

    private static Report CrossValidate(List<Item> items, IReadOnlyList<QuestionSet> sets, Options o, Gbdt.Options rankerOptions, Gbdt.Options deciderOptions,
        ref (TreeModel Ranker, TreeModel Decider)? final, Action<string>? progress)
    {
        // Out-of-fold rankings: the decider's training data.
        for (var fold = 0; fold < o.Folds; fold++)
        {
            progress?.Invoke($"ranker fold {fold + 1} of {o.Folds}");
            var ranker = FitRanker(items.Where(i => i.Fold != fold), rankerOptions, o.Listwise);
            foreach (var item in items.Where(i => i.Fold == fold)) Assess(item, ranker);
        }
        // Out-of-fold decisions, for the cross-validated figures and the threshold.
        for (var fold = 0; fold < o.Folds; fold++)
        {
            var decider = FitDecider(items.Where(i => i.Fold != fold), deciderOptions, o.DeciderBags);
            foreach (var item in items.Where(i => i.Fold == fold && i.Decision is not null)) item.OutOfFold = item.Gated ? 0 : decider.Probability(item.Decision!.Values);
        }
        // Each fold's threshold is chosen on the other folds, then applied to it: the figures never see their own fit.
        // Per corpus (unless OneThreshold), each on the sets asked of that corpus.
        var corpora = o.OneThreshold ? [null] : sets.Select(set => set.Engine).Distinct().ToList<AnswerEngine?>();
        bool OfCorpus(Item i, AnswerEngine? corpus) => corpus is null || i.Engine == corpus;
        var heldOut = new Dictionary<Item, bool>();
        for (var fold = 0; fold < o.Folds; fold++)
            foreach (var corpus in corpora)
            {
                var t = BestThreshold(items.Where(i => i.Fold != fold && OfCorpus(i, corpus)).ToList(), sets);
                foreach (var item in items.Where(i => i.Fold == fold && OfCorpus(i, corpus))) heldOut[item] = item.Decision is not null && item.OutOfFold >= t;
            }
        var figures = sets.Select((set, s) => Figures(set.Name, items.Where(i => i.Set == s).ToList(), i => heldOut[i])).ToList();
        var threshold = BestThreshold(items, sets);
        var perCorpus = o.OneThreshold ? null : corpora.Select(c => new CorpusThreshold(c!.Index.SentenceCount, BestThreshold(items.Where(i => i.Engine == c).ToList(), sets))).ToList();

        if (final is null)
        {
            progress?.Invoke("fitting the shipped model on everything");
            final = (FitRanker(items, rankerOptions, o.Listwise), FitDecider(items, deciderOptions, o.DeciderBags));
        }
        var (finalRanker, finalDecider) = final.Value;
        var summary = string.Join("; ", figures.Select(f =>
            string.Create(CultureInfo.InvariantCulture, $"{f.Set}: correct {f.Correct}/{f.Answerable}, declined {f.Declined}/{f.Unanswerable}, accuracy {f.Accuracy:F3}, answer-hit {f.AnswerHit:F3}")));
        var model = new EngineModel
        {
            Ranker = finalRanker,
            Decider = finalDecider,
            Threshold = threshold,
            Thresholds = perCorpus,
            TrainedOn = $"{o.Folds}-fold cross-validated: {summary}",
        };
        var sweep = new List<(double, double[], double[])>();
        foreach (var t in new[] { 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6 })
        {
            var f = sets.Select((set, s) => Figures(set.Name, items.Where(i => i.Set == s).ToList(), i => i.Decision is not null && i.OutOfFold >= t)).ToList();
            sweep.Add((t, f.Select(x => x.Accuracy).ToArray(), f.Select(x => x.AnswerHit).ToArray()));
        }
        var dump = items.Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{sets[i.Set].Name}\t{i.Gold.Id}\t{(i.Gold.Answerable ? "A" : "U")}\t{(i.Correct ? 1 : 0)}\t{(i.RankTop1 ? 1 : 0)}\t{i.GoldRank}\t{i.OutOfFold:F3}\t{i.Gold.Question}")).ToList();
        var runs = sets.Select((set, idx) => (set.Name, Lines: (IReadOnlyList<RunLine>)items.Where(i => i.Set == idx).Select(i => RunLine.From(i.Gold.Id,
            heldOut[i] ? i.Composed! : new Answer { Question = i.Cleaned, Answered = false, Text = AnswerEngine.DeclineText, Docs = i.Composed?.Docs ?? [] })).ToList()))
            .ToDictionary(p => p.Name, p => p.Lines);
        return new Report(model, figures, threshold) { Sweep = sweep, OutOfFold = dump, OutOfFoldRuns = runs };
    }

    /// <summary>Each set's accuracy and answer-hit over several seeds' reports: mean, least and most.</summary>
    public static string FormatSpread(IReadOnlyList<int> seeds, IReadOnlyList<Report> reports)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"over {reports.Count} fold seeds ({string.Join(", ", seeds)}): mean [least, most]");
        sb.AppendLine("set                      accuracy                  answer-hit                correct");
        for (var s = 0; s < reports[0].CrossValidated.Count; s++)
        {
            var f = reports.Select(r => r.CrossValidated[s]).ToList();
            string Spread(Func<SetFigures, double> v) => string.Create(CultureInfo.InvariantCulture, $"{f.Average(v):F3} [{f.Min(v):F3}, {f.Max(v):F3}]");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{f[0].Set,-24} {Spread(x => x.Accuracy),-25} {Spread(x => x.AnswerHit),-25} {f.Average(x => x.Correct):F1}/{f[0].Answerable}"));
        }
        return sb.ToString();
    }

    public static string Format(Report r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("set                      correct      declined     accuracy  answer-hit  ranker-top1  bm25-top1");
        foreach (var f in r.CrossValidated)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Set,-24} {f.Correct,4}/{f.Answerable,-6} {f.Declined,4}/{f.Unanswerable,-6} {f.Accuracy,8:F3}  {f.AnswerHit,10:F3}  {f.RankTop1 / (double)Math.Max(1, f.Answerable),11:F3}  {f.Bm25Top1 / (double)Math.Max(1, f.Answerable),9:F3}"));
        if (r.Model.Thresholds is { } perCorpus)
            sb.AppendLine("threshold per corpus (each on its own sets' out-of-fold probabilities): "
                + string.Join(", ", perCorpus.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Threshold:F2} for {t.Sentences} sentences")))
                + string.Create(CultureInfo.InvariantCulture, $"; for all sets at once {r.Model.Threshold:F2}"));
        else
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"threshold {r.Model.Threshold:F2} (chosen on out-of-fold probabilities)"));
        sb.AppendLine("operating points (out-of-fold accuracy / answer-hit per set, in the order above):");
        foreach (var (t, acc, hit) in r.Sweep)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {t:F2}: ") + string.Join("   ", acc.Select((a, i) => string.Create(CultureInfo.InvariantCulture, $"{a:F3}/{hit[i]:F3}"))));
        return sb.ToString();
    }

    private static TreeModel FitRanker(IEnumerable<Item> items, Gbdt.Options o, bool listwise)
    {
        var x = new List<double[]>();
        var y = new List<bool>();
        var w = new List<double>();
        var groups = new List<int>();
        foreach (var item in items)
        {
            if (item.Gathered is null || !item.Labels.Contains(true)) continue; // nothing to learn from a question without a right sentence
            // Pointwise, a question's weight is shared by its candidates; listwise, the softmax shares it already.
            var per = listwise ? item.Weight : item.Weight / item.Labels.Length;
            for (var c = 0; c < item.Labels.Length; c++)
            {
                x.Add(item.Gathered.Features[c].Values);
                y.Add(item.Labels[c]);
                w.Add(per * 10);
                groups.Add(groups.Count == 0 ? 0 : c == 0 ? groups[^1] + 1 : groups[^1]);
            }
        }
        return Gbdt.Fit(x, y, w, RankerFeatures, o, listwise ? groups : null);
    }

    private static TreeModel FitDecider(IEnumerable<Item> items, Gbdt.Options o, int bags)
    {
        var list = items.Where(i => i.Decision is not null).ToList();
        TreeModel Fit(List<Item> part) =>
            Gbdt.Fit(part.Select(i => i.Decision!.Values).ToList(), part.Select(i => i.Correct).ToList(), part.Select(i => i.Weight).ToList(), DeciderFeatures, o);
        if (bags <= 1) return Fit(list);
        // Each bag leaves out its own fifth of the questions, chosen by a stable hash: the same inputs, the same model.
        return Gbdt.Average(Enumerable.Range(0, bags)
            .Select(b => Fit(list.Where(i => StableHash($"{i.Gold.Id}#bag{b}") % 5 != 0).ToList())).ToList());
    }

    private static void Assess(Item item, TreeModel ranker)
    {
        if (item.Gathered is null) return;
        var analysis = item.Engine.Rank(item.Gathered, ranker);
        item.Decision = analysis.Decision;
        item.Gated = analysis.Gated;
        item.RankTop1 = item.Labels[analysis.Ranked[0].Candidate];
        item.GoldRank = analysis.Ranked.FindIndex(r => item.Labels[r.Candidate]);
        item.Composed = item.Engine.Compose(item.Cleaned, analysis);
        item.Correct = IsCorrect(item.Gold, item.Composed);
    }

    /// <summary>Maximises the mean of the sets' accuracies, so a small case set weighs as much as the yardstick.</summary>
    private static double BestThreshold(List<Item> items, IReadOnlyList<QuestionSet> all)
    {
        var setCount = all.Count;
        var best = (Threshold: 0.5, Score: -1.0);
        for (var step = 2; step <= 95; step++)
        {
            var t = step / 100.0;
            double sum = 0;
            var sets = 0;
            for (var s = 0; s < setCount; s++)
            {
                var mine = items.Where(i => i.Set == s).ToList();
                if (mine.Count == 0 || !all[s].InObjective) continue;
                sets++;
                sum += mine.Count(i => i.Decision is not null && i.OutOfFold >= t ? i.Correct : !i.Gold.Answerable) / (double)mine.Count;
            }
            var score = sum / Math.Max(1, sets);
            if (score > best.Score + 1e-12) best = (t, score);
        }
        return best.Threshold;
    }

    private static SetFigures Figures(string name, List<Item> items, Func<Item, bool> answered)
    {
        var answerable = items.Where(i => i.Gold.Answerable).ToList();
        return new SetFigures(name, answerable.Count, items.Count - answerable.Count,
            answerable.Count(i => answered(i) && i.Correct),
            items.Count(i => !i.Gold.Answerable && !answered(i)),
            answerable.Count(i => answered(i) && i.Correct),
            answerable.Count(i => i.RankTop1),
            answerable.Count(i => i.Labels.Length > 0 && i.Labels[0]));
    }

    /// <summary>A sentence answers when it holds a gold answer and comes from a gold document.</summary>
    private static bool SentenceAnswers(AnswerEngine engine, GoldQuestion q, int sentence)
    {
        if (!q.Answerable) return false;
        var doc = engine.Index.Documents[engine.Index.Sentences[sentence].Doc].Id;
        if (!q.Gold.Contains(doc)) return false;
        var text = Scorer.Norm(engine.Index.SentenceText(sentence));
        return q.Answers.Any(a => text.Contains(Scorer.Norm(a), StringComparison.Ordinal));
    }

    /// <summary>score.py's "correct": a gold answer in the first 300 characters and a gold document cited.</summary>
    internal static bool IsCorrect(GoldQuestion q, Answer a)
    {
        if (!q.Answerable || !a.Answered) return false;
        var text = Scorer.Norm(a.Text);
        text = text[..Math.Min(300, text.Length)];
        return q.Answers.Any(g => text.Contains(Scorer.Norm(g), StringComparison.Ordinal)) && a.Citations.Any(c => q.Gold.Contains(c.DocId));
    }

    /// <summary>FNV-1a: the same on every machine and run, unlike string.GetHashCode.</summary>
    internal static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (var c in s) h = (h ^ c) * 16777619;
        return h;
    }
}
