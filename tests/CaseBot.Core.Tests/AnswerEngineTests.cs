using CaseBot.Core.Answering;

namespace CaseBot.Core.Tests;

public class AnswerEngineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private readonly ICaseBot _bot = fixture.Bot;

    [Fact]
    public void Procurement_question_is_answered_from_document_004_with_a_cited_quote()
    {
        var answer = _bot.Ask("Why did City Hall say it blocked the deal?");

        Assert.True(answer.Answered);
        Assert.Equal("004", answer.Citations[0].DocId);
        Assert.StartsWith("[004] ", answer.Text);
        Assert.Contains("procurement", answer.Text);
        Assert.Equal("004", answer.Docs[0].DocId);
    }

    [Fact]
    public void Quotes_are_verbatim_from_their_document_and_free_of_footnote_markers()
    {
        foreach (var q in new[] { "Who is Palantir's head for the UK and Europe?", "Who co-founded Palantir?", "What did Stella Creasy say about Palantir?" })
        {
            var answer = _bot.Ask(q);
            Assert.True(answer.Answered, q);
            foreach (var c in answer.Citations)
            {
                // A long sentence is shown in part, cut with "…"; every piece is verbatim.
                foreach (var piece in c.Quote.Split('…', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    Assert.Contains(piece, _bot.FindDocument(c.DocId)!.Text);
                Assert.DoesNotMatch(@"\[\d+(,\s*\d+)*\]", c.Quote);
            }
        }
    }

    [Fact]
    public void A_short_span_is_cut_from_the_quote_for_a_sum()
    {
        var answer = _bot.Ask("How much have UK police forces earmarked for AI tools?");
        Assert.True(answer.Answered);
        Assert.NotNull(answer.Short);
        Assert.Contains(answer.Short, answer.Citations[0].Quote);
        Assert.Equal("£200 million", Evaluation.Scorer.Norm(answer.Short)); // the article uses a no-break space
    }

    [Theory]
    [InlineData("Who won the Premier League this season?")]
    [InlineData("What is the boiling point of mercury on Jupiter?")]
    public void Off_topic_questions_are_declined_plainly(string question)
    {
        var answer = _bot.Ask(question);
        Assert.False(answer.Answered);
        Assert.Equal(AnswerEngine.DeclineText, answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData(null)]
    public void Empty_input_gets_usage_help(string? question)
    {
        var answer = _bot.Ask(question!);
        Assert.True(answer.IsUsageError);
        Assert.False(answer.Answered);
        Assert.Equal(AnswerEngine.UsageText, answer.Text);
    }

    [Theory]
    [InlineData("Palantir AND (Met OR \"City Hall\") NOT khan*")]
    [InlineData("title:palantir~2 \\ / [0 TO 9] {a} ^3 && || !")]
    [InlineData("\"")]
    [InlineData("***???")]
    [InlineData("Пaлантир 合同 🙂🚓 عقد")]
    [InlineData("contract\u0000\u0007\u001b[31m\u202e worth")]
    public void Query_syntax_emoji_other_scripts_and_control_characters_never_throw(string question)
    {
        var answer = _bot.Ask(question);
        Assert.NotNull(answer.Text);
        Assert.DoesNotContain('\u0000', answer.Question);
    }

    [Fact]
    public void Ten_kilobytes_of_text_are_answered_or_declined_without_error()
    {
        var huge = string.Concat(Enumerable.Repeat("Why did the mayor block the Palantir contract? ", 220));
        Assert.True(huge.Length > 10_000);
        var answer = _bot.Ask(huge);
        Assert.True(answer.Question.Length <= 1000);
        Assert.True(answer.Answered ? answer.Citations.Count > 0 : answer.Text == AnswerEngine.DeclineText);
    }

    [Fact]
    public void Aliases_let_one_name_find_passages_that_use_another()
    {
        // The corpus never says "MoD"; the alias line "MoD = Ministry of Defence" makes the name match.
        var answer = _bot.Ask("What is Palantir's contract with the MoD worth?");
        Assert.True(answer.Answered);
        Assert.Equal("004", answer.Citations[0].DocId);
        Assert.Contains("Ministry of Defence", answer.Citations[0].Quote);
    }

    [Theory]
    [InlineData("Why did City Hall block the Palantir contract?")]
    [InlineData("how does palantir pitch its software to police forces")]
    [InlineData("did City Hall tie the veto to public safety?")]
    public void Why_how_and_yes_no_questions_get_the_quote_without_a_short_answer(string question)
    {
        var answer = _bot.Ask(question);
        Assert.True(answer.Answered, question);
        Assert.Null(answer.Short);
    }

    [Fact]
    public void A_question_in_dollars_gets_the_sum_in_dollars_whole()
    {
        var answer = _bot.Ask("How much was the £50 million contract worth in dollars?");
        Assert.True(answer.Answered);
        Assert.Equal("$67 million", answer.Short);
        Assert.Contains("$67 million", answer.Citations[0].Quote);
    }

    [Fact]
    public void A_cited_article_with_a_publication_date_shows_it_after_its_id()
    {
        var answer = _bot.Ask("When was the article about Khan threatening to block the contract published?");
        Assert.True(answer.Answered);
        var dated = Assert.Single(answer.Citations, c => c.DocId == "002");
        Assert.Equal("27 Apr 2026", dated.Dated);
        Assert.Contains("[002] (27 Apr 2026) ", answer.Text);
        Assert.All(answer.Citations.Where(c => c.DocId != "002"), c => Assert.Null(c.Dated));
    }

    [Fact]
    public void A_question_with_a_typo_and_chat_spelling_finds_the_same_passage_as_the_clean_one()
    {
        var clean = _bot.Ask("What is MOPAC doing next on procurement?");
        var chat = _bot.Ask("so whats MOPAC doing next on the procurment side lol");
        Assert.True(chat.Answered);
        Assert.Equal(clean.Citations[0].Quote, chat.Citations[0].Quote);
        Assert.Contains("Palantri → Palantir", _bot.Ask("Who co-founded Palantri?").Explanation!.Corrections);
    }

    [Fact]
    public void Documents_are_listed_and_found_by_id_with_or_without_brackets()
    {
        Assert.Equal(5, _bot.Documents.Count);
        Assert.Equal("004", _bot.FindDocument("[004]")!.Id);
        Assert.Null(_bot.FindDocument("999"));
    }
}
