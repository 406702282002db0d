using CaseBot.Core.Answering;
using CaseBot.Core.Answering.Composition;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Indexing.Embeddings;

namespace CaseBot.Core.Tests;

/// <summary>What an answer is made of: quotes, short answers, dates. The decider is out of the way (threshold 0).</summary>
public class AnswerCompositionTests(AnswerAllFixture fixture) : IClassFixture<AnswerAllFixture>
{
    private readonly ICaseBot _all = fixture.Bot;

    [Theory]
    [InlineData("Why did City Hall block the Palantir contract?")]
    [InlineData("how does palantir pitch its software to police forces")]
    [InlineData("did City Hall tie the veto to public safety?")]
    public void Why_how_and_yes_no_questions_get_the_quote_without_a_short_answer(string question)
    {
        var answer = _all.Ask(question);
        Assert.Null(answer.Short);
    }

    [Fact]
    public void A_question_in_dollars_gets_the_sum_in_dollars_whole()
    {
        var answer = _all.Ask("How much was the £50 million contract worth in dollars?");
        Assert.True(answer.Answered);
        Assert.Equal("$67 million", answer.Short);
        Assert.Contains("$67 million", answer.Citations[0].Quote);
    }

    [Theory]
    [InlineData("Which other UK police forces have signed contracts with Palantir?", "Greater Manchester and West Midlands")]
    [InlineData("Which civil-rights groups warned about opaque AI systems?", "Liberty and Big Brother Watch")]
    public void A_question_asking_for_several_names_gets_the_whole_list_the_quote_gives(string question, string names)
    {
        var answer = _all.Ask(question);
        Assert.Equal(names, answer.Short);
        Assert.Contains(names, answer.Citations[0].Quote);
    }

    [Fact]
    public void A_lone_name_far_from_every_word_the_question_shares_with_the_quote_is_no_headline()
    {
        // The sentence names Sadiq Khan at its start and Palantir forty words later: he does not run Palantir's UK arm.
        // Asked of the sentence itself, not of whatever the ranker puts first for this question on this CPU.
        using var held = fixture.Bot.AcquireIndex();
        var index = held.Index.Index;
        var question = new QuestionReader(index, SentenceEmbedder.ForQuestions(EngineSettings.Default.Int8Questions)).Read("who runs palantir's uk operation")!;
        var sentence = Enumerable.Range(0, index.SentenceCount).First(s => index.SentenceText(s).Contains("has signaled his intention to intervene", StringComparison.Ordinal));
        Assert.Equal(new ShortCandidate("Sadiq Khan", Near: false), new AnswerComposer(index, EngineSettings.Default).ShortAnswer(question, sentence));
        Assert.Equal(new ShortCandidate("Sadiq Khan", Near: true), new AnswerComposer(index, EngineSettings.Default with { ShortAnchorReach = 0 }).ShortAnswer(question, sentence));
    }

    [Fact]
    public void A_question_asking_for_a_kind_gets_no_name_as_headline()
    {
        // "What type of group" is answered by "a pressure group", not by the group's name the sentence also gives.
        using var held = fixture.Bot.AcquireIndex();
        var index = held.Index.Index;
        var reader = new QuestionReader(index, SentenceEmbedder.ForQuestions(EngineSettings.Default.Int8Questions));
        var composer = new AnswerComposer(index, EngineSettings.Default);
        var sentence = Enumerable.Range(0, index.SentenceCount).First(s => index.SentenceText(s).Contains("London Mayor Sadiq Khan blocked a proposed £50 million contract", StringComparison.Ordinal));
        Assert.Equal(new ShortCandidate("Metropolitan Police", Near: true), composer.ShortAnswer(reader.Read("which force was the blocked contract for")!, sentence));
        Assert.Equal(new ShortCandidate("Metropolitan Police", Near: false), composer.ShortAnswer(reader.Read("what kind of force was the blocked contract for")!, sentence));
    }

    [Fact]
    public void A_capitalised_run_with_a_possessive_inside_is_no_person_headline()
    {
        // "Palantir’s APIs" is a capitalised run of two words, which the recogniser takes for a person; no one is called that.
        var answer = _all.Ask("who is the met's head of data");
        Assert.Contains("Palantir’s APIs", answer.Citations[0].Quote);
        Assert.Null(answer.Short);
    }

    [Fact]
    public void A_short_name_leaves_out_the_title_in_front_of_it()
    {
        // The quote says "London Mayor Sadiq Khan": "Mayor" occurs in lower case in the corpus, so it is a title.
        var answer = _all.Ask("Who blocked the Met Police contract with Palantir?");
        Assert.Equal("Sadiq Khan", answer.Short);
    }

    [Theory]
    // A capitalised run holding an acronym is never a person's short answer: no one is called "Several UK" (the headline
    // "who runs palantir in the uk" once got).
    [InlineData("who signed contracts with palantir or similar vendors")]
    // A list of other things than the question asks about is no short answer: the quote lists police forces, the
    // question asks for bodies other than police forces.
    [InlineData("which UK bodies other than police forces have contracts with palantir?")]
    public void The_sentence_listing_police_forces_gives_no_headline_to_questions_it_names_no_answer_of(string question)
    {
        var answer = _all.Ask(question);
        Assert.StartsWith("Several UK police forces – including Greater Manchester and West Midlands", answer.Citations[0].Quote);
        Assert.Null(answer.Short);
    }

    [Fact]
    public void A_common_word_the_corpus_never_uses_counts_as_unknown_but_not_as_rare()
    {
        // "want" is in no case document but is an everyday word; "Zorblatt" is neither: only a rare unknown is strong
        // evidence that the corpus cannot answer.
        var chat = _all.Ask("how much did the met want to spend").Evidence!;
        Assert.True(chat[Answering.Features.Feature.UnknownShare] > 0);
        Assert.Equal(0, chat[Answering.Features.Feature.UnknownRareShare]);
        var name = _all.Ask("how much did Zorblatt spend").Evidence!;
        Assert.True(name[Answering.Features.Feature.UnknownRareShare] > 0);
    }

    [Fact]
    public void A_sum_is_picked_by_the_alias_the_question_uses_for_its_holder()
    {
        // "£330 million with NHS England and £240 million with the Ministry of Defence": "MoD" is an alias of the
        // latter (aliases.conf), so it anchors the second sum.
        var answer = _all.Ask("how much is the MoD paying palantir");
        Assert.Equal("£240 million", answer.Short);
    }

    [Fact]
    public void A_sum_gets_no_headline_when_the_quote_lacks_a_name_the_question_gives_in_full()
    {
        // The corpus lists Palantir's contracts with NHS England and the Ministry of Defence, never the Ministry of
        // Justice: "£240 million" stands nearest "Ministry", but it is the Defence contract's sum.
        var answer = _all.Ask("How much is Palantir's contract with the Ministry of Justice worth?");
        Assert.True(answer.Answered);
        Assert.Contains("£240 million", answer.Citations[0].Quote);
        Assert.Null(answer.Short);
    }

    [Fact]
    public void A_best_sentence_ending_in_a_colon_is_quoted_with_the_lines_it_introduces()
    {
        var answer = _all.Ask("what are the three big tensions the explainer piece talks about?");
        Assert.EndsWith("tensions:", answer.Citations[0].Quote);
        Assert.StartsWith("• Speed versus scrutiny", answer.Citations[1].Quote);
        Assert.All(answer.Citations, c => Assert.Equal(answer.Citations[0].DocId, c.DocId));
    }

    [Fact]
    public void A_cited_article_with_a_publication_date_shows_it_after_its_id()
    {
        var answer = _all.Ask("When was the article about Khan threatening to block the contract published?");
        Assert.True(answer.Answered);
        var dated = answer.Citations.Where(c => c.DocId == "002").ToList();
        Assert.NotEmpty(dated);
        Assert.All(dated, c => Assert.Equal("27 Apr 2026", c.Dated));
        Assert.Contains("[002] (27 Apr 2026) ", answer.Text);
        Assert.All(answer.Citations.Where(c => c.DocId != "002"), c => Assert.Null(c.Dated));
    }

    [Fact]
    public void A_question_with_a_typo_and_chat_spelling_finds_the_same_passage_as_the_clean_one()
    {
        var clean = _all.Ask("What is MOPAC doing next on procurement?");
        var chat = _all.Ask("so whats MOPAC doing next on the procurment side lol");
        Assert.True(chat.Answered);
        Assert.Equal(clean.Citations[0].Quote, chat.Citations[0].Quote);
        Assert.Contains("Palantri → Palantir", _all.Ask("Who co-founded Palantri?").Explanation!.Corrections);
    }
}
