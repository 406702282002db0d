using CaseBot.Core.Evaluation;

namespace CaseBot.Core.Tests;

public class NearMissTests
{
    private static GoldQuestion Q(string id, string text, bool answerable = true) =>
        new() { Id = id, Question = text, Answerable = answerable, Answers = answerable ? ["x"] : [], GoldDocs = answerable ? ["004"] : [] };

    private static readonly string[] Corpus = ["Ministry of Defence", "NHS England", "2023", "50"];
    private static bool Stated(string value) => Corpus.Any(c => c.Contains(value, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void The_last_name_of_an_answerable_question_is_swapped_for_one_the_corpus_never_states()
    {
        var made = NearMisses.From([Q("c14", "How much is Palantir's contract with NHS England worth?")], ["Ministry of Defence", "Santa Clara"], Stated);
        var miss = Assert.Single(made);
        Assert.Equal("How much is Palantir's contract with Santa Clara worth?", miss.Question);
        Assert.False(miss.Answerable);
        Assert.Empty(miss.Answers);
        Assert.Equal("nearmiss-c14", miss.Id);
        Assert.Equal("c14", miss.Title); // folded with its source
    }

    [Fact]
    public void A_year_moves_to_one_the_corpus_does_not_state_and_a_question_without_names_or_numbers_makes_none()
    {
        var made = NearMisses.From([Q("d044", "when was that 2020 report about palantir"), Q("d010", "did they tie the veto to safety")], [], Stated);
        Assert.Equal("when was that 2026 report about palantir", Assert.Single(made).Question); // 2023 is stated, so 2026
    }

    [Fact]
    public void Unanswerable_questions_make_no_near_misses()
    {
        Assert.Empty(NearMisses.From([Q("c27", "Who won the Premier League this season?", answerable: false)], ["Santa Clara"], Stated));
    }

    [Fact]
    public void Foreign_names_are_the_two_and_three_word_capitalised_answers()
    {
        var foreign = new[] { new GoldQuestion { Id = "s1", Question = "?", Answerable = true, Answers = ["Santa Clara", "the 1990s", "Levi's Stadium", "Normandy", "Denver Broncos Team Owner"] } };
        Assert.Equal(["Santa Clara"], NearMisses.ForeignNames(foreign));
    }
}
