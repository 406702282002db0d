using CaseBot.Core.Answering.Candidates;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Indexing;

namespace CaseBot.Core.Tests;

public class ChatQuestionTests
{
    [Theory]
    [InlineData("whats the 50 mil contract worth in dollars", "what is the 50 million contract worth in dollars")]
    [InlineData("didnt palantir originally come out of the spy world?", "did not palantir come out of the spy world?")]
    [InlineData("wat did the mayor actually say lol", "what did the mayor say")]
    [InlineData("who's Louis Mosley?", "who is Louis Mosley?")]
    [InlineData("what data was the platform gonna pull together", "what data was the platform going to pull together")]
    [InlineData("how many quid was the met after", "how many pounds was the met after")]
    [InlineData("yo what day of the week did khan scrap the deal", "what day of the week did khan scrap the deal")]
    [InlineData("Yo Yo Ma played where?", "Yo Yo Ma played where?")]
    public void Chat_spellings_contractions_and_filler_are_normalised(string chat, string expected) =>
        Assert.Equal(expected, ChatNormalizer.Normalize(chat).Text);

    [Theory]
    [InlineData("asking as a serving officer: why would it hurt London", "why would it hurt London")]
    [InlineData("need it for copy - who blocked the contract?", "who blocked the contract?")]
    public void A_preamble_before_the_question_is_dropped(string chat, string expected) =>
        Assert.Equal(expected, ChatNormalizer.Normalize(chat).Text);

    [Fact]
    public void A_colon_inside_the_question_itself_is_kept()
    {
        // The part before the colon holds a question word: it is the question, not a preamble.
        Assert.Equal("what is the ratio: two to one?", ChatNormalizer.Normalize("what's the ratio: two to one?").Text);
    }

    [Fact]
    public void A_reference_to_an_article_is_taken_out_and_kept_as_a_hint()
    {
        var result = ChatNormalizer.Normalize("how will it end, per the April article");
        Assert.DoesNotContain("article", result.Text);
        Assert.Contains("April", result.ArticleHints);
    }

    [Theory]
    [InlineData("when was the explainer published", "explainer")]
    [InlineData("what does the op-ed say about Khan", "opinion")]
    public void An_article_named_by_its_kind_keeps_the_kind_as_a_hint(string question, string kind)
    {
        var result = ChatNormalizer.Normalize(question);
        Assert.Contains(kind, result.ArticleHints);
        Assert.DoesNotContain(question.Contains("op-ed") ? "op-ed" : "explainer", result.Text);
    }

    [Fact]
    public void Small_typos_are_corrected_against_the_corpus_vocabulary_but_other_words_are_not()
    {
        var vocabulary = Vocabulary.Of([File.ReadAllText(Directory.GetFiles(TestPaths.Corpus, "004_*")[0]), File.ReadAllText(Directory.GetFiles(TestPaths.Corpus, "001_*")[0])]);
        Assert.Equal("procurement", vocabulary.Suggest("procurment"));
        Assert.Equal("palantir", vocabulary.Suggest("palantri"));
        Assert.Null(vocabulary.Suggest("weather"));   // no corpus word is that close
        Assert.Null(vocabulary.Suggest("mayor"));     // known words are left alone
    }

    [Theory]
    [InlineData("what did Peter Thiel say about Khan's decision?", "Peter Thiel")]
    [InlineData("how did the Met react to the veto", "the Met")]
    [InlineData("what did the cyber security centre tell public bodies to do", "the cyber security centre")]
    [InlineData("What did Dalton think the atomic ratios were?", null)]   // a belief, told in too many ways to demand a speech verb
    [InlineData("What does double oxygen react slowly with?", null)]      // chemistry, not a response
    [InlineData("who blocked the deal", null)]
    public void A_question_about_someones_words_is_told_with_its_speaker(string question, string? speaker)
    {
        var m = QuestionContext.SpeakerQuestion().Match(question);
        Assert.Equal(speaker, m.Success ? m.Groups["who"].Value : null);
    }

    [Theory]
    [InlineData("why did City Hall block the deal", AnswerType.Reason)]
    [InlineData("did City Hall tie the veto to public safety?", AnswerType.YesNo)]
    [InlineData("how does palantir pitch its software to police forces", AnswerType.Manner)]
    [InlineData("what is the 50 million contract worth in dollars", AnswerType.Money)]
    [InlineData("how much is the MoD paying palantir", AnswerType.Money)]
    [InlineData("What was the contract worth in US dollars?", AnswerType.Money)]
    [InlineData("what was the proposed Met deal worth", AnswerType.Money)]
    [InlineData("how many officers would the Met cut", AnswerType.Count)]
    [InlineData("how much does palantir get from nhs england", AnswerType.Amount)]
    [InlineData("how many dollars was the deal", AnswerType.Money)]
    [InlineData("which party is Stella Creasy in", AnswerType.Party)]
    [InlineData("when did the mayor block the contract", AnswerType.Date)]
    [InlineData("what day of the week was it blocked", AnswerType.Weekday)]
    [InlineData("over what time frame did forces set aside the money", AnswerType.Duration)]
    [InlineData("who co-founded Palantir", AnswerType.Person)]
    [InlineData("which company won the contract", AnswerType.Organisation)]
    [InlineData("what percentage of forces use it", AnswerType.Percent)]
    [InlineData("what are the three big tensions", AnswerType.Description)]
    [InlineData("who is Louis Mosley?", AnswerType.Role)]
    [InlineData("Who is Palantir's head for the UK and Europe?", AnswerType.Person)]
    [InlineData("Which civil-rights groups warned about opaque AI systems?", AnswerType.Organisation)]
    [InlineData("Which other UK police forces have signed contracts?", AnswerType.Organisation)]
    [InlineData("what did the government say about the deal", AnswerType.Description)]
    public void The_expected_answer_type_is_read_from_the_question(string question, AnswerType expected) =>
        Assert.Equal(expected, AnswerTypes.Of(question));

    [Theory]
    [InlineData(AnswerType.Count, AnswerType.Count, true)]
    [InlineData(AnswerType.Count, AnswerType.Money, false)]   // "how many officers" is not answered by "£50 million"
    [InlineData(AnswerType.Amount, AnswerType.Money, true)]   // "how much does it get": a sum, as often as a count
    [InlineData(AnswerType.Amount, AnswerType.Count, true)]
    [InlineData(AnswerType.Money, AnswerType.Count, false)]
    public void A_count_is_answered_by_a_number_and_an_amount_by_a_number_or_a_sum(AnswerType wanted, AnswerType found, bool answers) =>
        Assert.Equal(answers, TypedSpans.Answers(wanted, found));

    [Theory]
    [InlineData("Which other UK police forces have signed contracts?", "forces")]
    [InlineData("which british AI companies are in the frame as alternatives?", "companies")]
    [InlineData("which company won the contract", null)]
    [InlineData("which smaller force ran the pilot", null)]
    [InlineData("who co-founded Palantir", null)]
    public void A_question_asking_for_several_names_is_told_by_its_plural_noun(string question, string? noun) =>
        Assert.Equal(noun, AnswerTypes.SeveralOf(question));

    [Theory]
    [InlineData("which national newspaper first broke the story", "newspaper")]
    [InlineData("which smaller police force ran the pilot", "force")]
    [InlineData("What type of company is Van Gend en Loos?", null)] // a kind, not a name
    [InlineData("what kind of firm is Palantir", null)]
    public void A_question_asking_to_name_one_is_told_by_its_singular_noun(string question, string? noun) =>
        Assert.Equal(noun, AnswerTypes.FocusOf(question, AnswerTypes.Of(question)));

    [Theory]
    [InlineData("What type of company is Van Gend en Loos?", true)]
    [InlineData("The Campaign was initiated as what sort of group?", true)]
    [InlineData("which company won the contract", false)]
    [InlineData("what is the kind of thing he said", false)]
    public void A_question_asking_for_a_kind_is_told_from_one_asking_for_a_name(string question, bool kind) =>
        Assert.Equal(kind, AnswerTypes.AsksForKind(question));
}
