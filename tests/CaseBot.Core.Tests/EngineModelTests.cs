using CaseBot.Core.Answering;
using CaseBot.Core.Answering.Features;
using CaseBot.Core.Answering.Models;
using CaseBot.Core.Evaluation;

namespace CaseBot.Core.Tests;

public class EngineModelTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private readonly CaseBotService _bot = fixture.Bot;

    [Fact]
    public void A_swapped_sum_is_flagged_as_a_number_mismatch()
    {
        var real = _bot.Ask("Which mayor blocked a proposed £50 million contract with Palantir?");
        var swapped = _bot.Ask("Which mayor blocked a proposed £60 million contract with Palantir?");

        Assert.True(real.Answered);
        Assert.Equal(0, real.Evidence![Feature.NumberMismatch]);
        Assert.Equal(1, swapped.Evidence![Feature.NumberMismatch]);
        Assert.True(swapped.Confidence < real.Confidence);
    }

    [Fact]
    public void A_question_that_turns_the_sentence_round_with_a_negating_prefix_is_flagged_as_a_contrast()
    {
        var turned = _bot.Ask("Which mayor unblocked a proposed £50 million contract with Palantir?");
        Assert.Equal(1, turned.Evidence![Feature.Contrast]);
    }

    [Fact]
    public void Depth_two_tree_routes_left_when_at_most_the_threshold_and_adds_its_leaf_to_the_log_odds()
    {
        // One tree: root splits feature 0 at 0.5, left child feature 1 at 0.2, right child feature 1 at 0.8; leaves 1..4.
        var model = new TreeModel { Features = ["Coverage", "Length"], Base = -1, Depth = 2, Trees = [0, 0.5, 1, 0.2, 1, 0.8, 1, 2, 3, 4] }.Bind();
        double[] X(double coverage, double length)
        {
            var v = new FeatureVector { [Feature.Coverage] = coverage, [Feature.Length] = length };
            return v.Values;
        }
        Assert.Equal(0, model.LogOdds(X(0.5, 0.2)));
        Assert.Equal(1, model.LogOdds(X(0.1, 0.3)));
        Assert.Equal(2, model.LogOdds(X(0.9, 0.8)));
        Assert.Equal(1 / (1 + Math.Exp(-3)), model.Probability(X(0.9, 0.81)), 12);
    }

    [Fact]
    public void A_model_naming_a_feature_the_engine_does_not_compute_is_refused_at_load()
    {
        var json = """{"ranker":{"features":["NoSuchFeature"],"base":0,"depth":1,"trees":[]},"decider":{"features":["Coverage"],"base":0,"depth":1,"trees":[]},"threshold":0.5}""";
        var e = Assert.Throws<InvalidDataException>(() => EngineModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains("NoSuchFeature", e.Message);
    }

    [Fact]
    public void The_shipped_model_was_trained_with_its_trees_over_known_features_and_a_cross_validated_threshold()
    {
        var m = EngineModel.Default;
        Assert.True(m.Ranker.TreeCount > 0);
        Assert.True(m.Decider.TreeCount > 0);
        Assert.InRange(m.Threshold, 0.01, 0.99);
        Assert.Contains("cross-validated", m.TrainedOn);
        foreach (var tm in new[] { m.Ranker, m.Decider })
            for (var t = 0; t < tm.TreeCount; t++)
                for (var node = 0; node < tm.Inner; node++)
                    Assert.InRange((int)tm.Trees[t * tm.TreeSize + 2 * node], 0, tm.Features.Length - 1);
    }

    /// <summary>Random Coverage and Length values, labelled by <paramref name="label"/>.</summary>
    private static (List<double[]> X, List<bool> Y) Examples(int seed, int count, Func<FeatureVector, bool> label)
    {
        var rng = new Random(seed);
        var x = new List<double[]>();
        var y = new List<bool>();
        for (var i = 0; i < count; i++)
        {
            var v = new FeatureVector { [Feature.Coverage] = rng.NextDouble(), [Feature.Length] = rng.NextDouble() };
            x.Add(v.Values);
            y.Add(label(v));
        }
        return (x, y);
    }

    [Fact]
    public void Boosting_is_deterministic_and_separates_a_learnable_label()
    {
        var (x, y) = Examples(7, 400, v => v[Feature.Coverage] > 0.6);
        var w = Enumerable.Repeat(1.0, x.Count).ToList();
        var options = new Gbdt.Options(Rounds: 20, Depth: 2, MinLeafWeight: 5);
        var a = Gbdt.Fit(x, y, w, [Feature.Coverage, Feature.Length], options);
        var b = Gbdt.Fit(x, y, w, [Feature.Coverage, Feature.Length], options);
        Assert.Equal(a.Trees, b.Trees);
        var high = new FeatureVector { [Feature.Coverage] = 0.9, [Feature.Length] = 0.5 };
        var low = new FeatureVector { [Feature.Coverage] = 0.2, [Feature.Length] = 0.5 };
        Assert.True(a.Probability(high.Values) > 0.8);
        Assert.True(a.Probability(low.Values) < 0.2);
    }

    [Fact]
    public void An_averaged_model_scores_the_mean_log_odds_of_its_members()
    {
        var (x, y) = Examples(3, 300, v => v[Feature.Coverage] + 0.3 * v[Feature.Length] > 0.7);
        var options = new Gbdt.Options(Rounds: 10, Depth: 2, MinLeafWeight: 5);
        var a = Gbdt.Fit(x.Take(200).ToList(), y.Take(200).ToList(), Enumerable.Repeat(1.0, 200).ToList(), [Feature.Coverage, Feature.Length], options);
        var b = Gbdt.Fit(x.Skip(100).ToList(), y.Skip(100).ToList(), Enumerable.Repeat(1.0, 200).ToList(), [Feature.Coverage, Feature.Length], options);
        var mean = Gbdt.Average([a, b]);
        Assert.Equal(a.TreeCount + b.TreeCount, mean.TreeCount);
        foreach (var v in x.Take(20)) Assert.Equal((a.LogOdds(v) + b.LogOdds(v)) / 2, mean.LogOdds(v), 9);
    }

    [Fact]
    public void Listwise_boosting_ranks_each_groups_positive_first()
    {
        // Each group of four holds one positive: the candidate with the highest Coverage *within its group*, while
        // Coverage levels differ from group to group, so no single cut separates positives from negatives.
        var rng = new Random(11);
        var x = new List<double[]>();
        var y = new List<bool>();
        var groups = new List<int>();
        for (var g = 0; g < 150; g++)
        {
            var offset = rng.NextDouble() * 0.6;
            var values = Enumerable.Range(0, 4).Select(_ => offset + rng.NextDouble() * 0.4).ToArray();
            var best = Array.IndexOf(values, values.Max());
            for (var c = 0; c < 4; c++)
            {
                var v = new FeatureVector { [Feature.Coverage] = values[c], [Feature.Bm25Relative] = values[c] / values.Max() };
                x.Add(v.Values);
                y.Add(c == best);
                groups.Add(g);
            }
        }
        var w = Enumerable.Repeat(1.0, x.Count).ToList();
        var options = new Gbdt.Options(Rounds: 20, Depth: 2, MinLeafWeight: 1);
        var model = Gbdt.Fit(x, y, w, [Feature.Coverage, Feature.Bm25Relative], options, groups);
        Assert.Equal(model.Trees, Gbdt.Fit(x, y, w, [Feature.Coverage, Feature.Bm25Relative], options, groups).Trees);
        var top = Enumerable.Range(0, 150).Count(g =>
        {
            var scores = Enumerable.Range(4 * g, 4).Select(i => model.Probability(x[i])).ToList();
            return y[4 * g + scores.IndexOf(scores.Max())];
        });
        Assert.True(top >= 140, $"positive ranked first in {top} of 150 groups");
    }

    [Fact]
    public void Training_twice_on_the_same_questions_writes_the_same_model_and_reports_cross_validated_figures()
    {
        var questions = GoldQuestion.Load(Path.Combine(TestPaths.RepoRoot, "tests", "CaseBot.Core.Tests", "Fixtures", "train-sample.jsonl"));
        var set = new EngineTrainer.QuestionSet("sample", _bot.Engine, questions, 1, FoldByArticle: false);
        var options = new EngineTrainer.Options(Folds: 2, Ranker: new Gbdt.Options(Rounds: 5, Depth: 2, MinLeafWeight: 1), Decider: new Gbdt.Options(Rounds: 5, Depth: 2, MinLeafWeight: 1));
        var first = EngineTrainer.Train([set], options);
        var second = EngineTrainer.Train([set], options);
        Assert.Equal(first.Model.ToJson(), second.Model.ToJson());
        var figures = Assert.Single(first.CrossValidated);
        Assert.Equal(questions.Count(q => q.Answerable), figures.Answerable);
        Assert.Equal(questions.Count(q => !q.Answerable), figures.Unanswerable);
    }

    [Fact]
    public void Several_fold_seeds_in_one_run_give_each_seeds_own_figures_and_the_first_seeds_model()
    {
        var questions = GoldQuestion.Load(Path.Combine(TestPaths.RepoRoot, "tests", "CaseBot.Core.Tests", "Fixtures", "train-sample.jsonl"));
        var set = new EngineTrainer.QuestionSet("sample", _bot.Engine, questions, 1, FoldByArticle: false);
        var options = new EngineTrainer.Options(Folds: 2, Ranker: new Gbdt.Options(Rounds: 5, Depth: 2, MinLeafWeight: 1), Decider: new Gbdt.Options(Rounds: 5, Depth: 2, MinLeafWeight: 1));
        var both = EngineTrainer.TrainSeeds([set], options, [0, 5]);
        var first = EngineTrainer.Train([set], options);
        var other = EngineTrainer.Train([set], options with { FoldSeed = 5 });
        Assert.Equal(first.Model.ToJson(), both[0].Model.ToJson());
        Assert.Equal(first.CrossValidated, both[0].CrossValidated);
        Assert.Equal(other.CrossValidated, both[1].CrossValidated);
        Assert.Equal(other.Model.Threshold, both[1].Model.Threshold);
    }

    [Fact]
    public void One_corpus_gets_the_threshold_its_own_questions_choose_and_one_threshold_writes_none_per_corpus()
    {
        var questions = GoldQuestion.Load(Path.Combine(TestPaths.RepoRoot, "tests", "CaseBot.Core.Tests", "Fixtures", "train-sample.jsonl"));
        var set = new EngineTrainer.QuestionSet("sample", _bot.Engine, questions, 1, FoldByArticle: false);
        var options = new EngineTrainer.Options(Folds: 2, Ranker: new Gbdt.Options(Rounds: 5, Depth: 2, MinLeafWeight: 1), Decider: new Gbdt.Options(Rounds: 5, Depth: 2, MinLeafWeight: 1));
        var perCorpus = EngineTrainer.Train([set], options).Model;
        var only = Assert.Single(perCorpus.Thresholds!);
        Assert.Equal(_bot.Engine.Index.SentenceCount, only.Sentences);
        Assert.Equal(perCorpus.Threshold, only.Threshold); // one corpus: the same sets choose both
        Assert.Null(EngineTrainer.Train([set], options with { OneThreshold = true }).Model.Thresholds);
    }

    [Theory]
    [InlineData(100, 0.1)]
    [InlineData(40, 0.1)]       // smaller than every corpus trained on: the smallest one's
    [InlineData(1_000, 0.3)]    // halfway on a log scale: halfway between the two
    [InlineData(10_000, 0.5)]
    [InlineData(100_000, 0.5)]
    public void A_corpus_takes_the_threshold_of_the_trained_corpora_of_its_size_interpolated_between_them(int sentences, double expected)
    {
        var tree = new TreeModel { Features = ["Coverage"], Base = 0, Depth = 1, Trees = [] };
        var model = new EngineModel { Ranker = tree, Decider = tree, Threshold = 0.33, Thresholds = [new(10_000, 0.5), new(100, 0.1)] };
        Assert.Equal(expected, model.ThresholdFor(sentences), 12);
        var reloaded = EngineModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(model.ToJson())));
        Assert.Equal(expected, reloaded.ThresholdFor(sentences), 12);
    }

    [Fact]
    public void A_model_without_thresholds_per_corpus_uses_its_one_threshold()
    {
        var json = """{"ranker":{"features":["Coverage"],"base":0,"depth":1,"trees":[]},"decider":{"features":["Coverage"],"base":0,"depth":1,"trees":[]},"threshold":0.4}""";
        Assert.Equal(0.4, EngineModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).ThresholdFor(150));
    }
}
