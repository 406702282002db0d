using CaseBot.Core.Answering;

namespace CaseBot.Core.Tests;

public class AbstentionModelTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private readonly ICaseBot _bot = fixture.Bot;

    [Fact]
    public void A_swapped_sum_is_flagged_as_a_number_mismatch_and_declined()
    {
        var real = _bot.Ask("Which mayor blocked a proposed £50 million contract with Palantir?");
        var swapped = _bot.Ask("Which mayor blocked a proposed £60 million contract with Palantir?");

        Assert.True(real.Answered);
        Assert.Equal(0, real.Evidence!.Value.NumberMismatch);
        Assert.Equal(1, swapped.Evidence!.Value.NumberMismatch);
        Assert.False(swapped.Answered);
    }

    [Fact]
    public void A_question_that_turns_the_sentence_round_with_a_negating_prefix_is_flagged_as_a_contrast_and_declined()
    {
        var turned = _bot.Ask("Which mayor unblocked a proposed £50 million contract with Palantir?");

        Assert.Equal(1, turned.Evidence!.Value.Contrast);
        Assert.False(turned.Answered);
    }

    [Fact]
    public void Depth_two_tree_routes_left_when_at_most_the_threshold_and_adds_its_leaf_to_the_log_odds()
    {
        // One tree: root splits feature 0 at 0.5, left child feature 1 at 0.2, right child feature 1 at 0.8; leaves 1..4.
        var trees = new TreeEnsemble(2, [0, 0.5, 1, 0.2, 1, 0.8, 1, 2, 3, 4]);
        Assert.Equal(1, trees.Score([0.5, 0.2]));
        Assert.Equal(2, trees.Score([0.1, 0.3]));
        Assert.Equal(3, trees.Score([0.9, 0.8]));
        Assert.Equal(4, trees.Score([0.9, 0.81]));
        var model = new AbstentionModel(-1, [0, 0], 0.5) { Trees = trees };
        Assert.Equal(1 / (1 + Math.Exp(-3)), model.Probability([0.9, 0.81]), 12);
    }

    [Fact]
    public void Default_model_has_one_weight_per_evidence_feature_and_whole_trees_over_known_features()
    {
        var m = AbstentionModel.Default;
        Assert.Equal(Evidence.Count, m.Weights.Length);
        Assert.NotNull(m.Trees);
        Assert.Equal(0, m.Trees!.Flat.Length % m.Trees.TreeSize);
        for (var t = 0; t < m.Trees.TreeCount; t++)
            for (var node = 0; node < m.Trees.Inner; node++)
                Assert.InRange((int)m.Trees.Flat[t * m.Trees.TreeSize + 2 * node], 0, Evidence.Count - 1);
    }
}
