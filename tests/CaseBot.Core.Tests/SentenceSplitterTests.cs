using CaseBot.Core.Corpus;

namespace CaseBot.Core.Tests;

public class SentenceSplitterTests
{
    private static List<string> Sentences(string text) =>
        SentenceSplitter.Split(text).Select(s => text.Substring(s.Start, s.Length)).ToList();

    [Fact]
    public void Splits_a_real_corpus_line_into_its_three_sentences()
    {
        var line = Footnotes.Remove("London Mayor Sadiq Khan blocked a proposed £50 million ($67 million) contract for AI software between the Metropolitan Police and US tech firm Palantir on May 21, citing serious breaches of procurement rules [1, 2]. City Hall said the Met Police engaged only Palantir without a proper competitive process and failed to show value for money [1, 2]. Khan's office added that public funds should not go to companies that do not \"share the values of our city\" [1, 3, 2].");
        var sentences = Sentences(line);
        Assert.Equal(3, sentences.Count);
        Assert.StartsWith("City Hall said", sentences[1]);
        Assert.EndsWith("\"share the values of our city\".", sentences[2]);
    }

    [Theory]
    [InlineData("Palantir, a U.S. data-analytics firm, won. It was paid.", 2)]
    [InlineData("Mr. Mosley spoke first. Then Ms. Creasy replied.", 2)]
    [InlineData("The deal was worth £50 m. The Met said so.", 2)]
    [InlineData("It cost $67 million in 2026. Critics objected.", 2)]
    [InlineData("J. K. Rowling wrote it. She is British.", 2)]
    [InlineData("Growth was 3.5 percent. Costs rose 2.25 times.", 2)]
    [InlineData("He said \"we will not proceed.\" The Met disagreed.", 2)]
    [InlineData("Funding rose (e.g. for AI tools) in London. Others followed.", 2)]
    [InlineData("Palantir is U.S.-based and sells software.", 1)]
    [InlineData("The mayor asked: why now? the Met had no answer.", 1)]
    public void Does_not_break_abbreviations_initials_amounts_decimals_or_quotes(string text, int expected) =>
        Assert.Equal(expected, Sentences(text).Count);

    [Fact]
    public void Line_breaks_end_sentences_and_a_headline_is_marked_as_heading()
    {
        var spans = SentenceSplitter.Split("What comes next?\nA new plan\n\n  1. Escalating budgets – Across the UK, forces spent more.");
        Assert.Equal(3, spans.Count);
        Assert.False(spans[0].IsHeading); // a question line ends like a sentence
        Assert.True(spans[1].IsHeading);
        Assert.False(spans[2].IsHeading);
    }

    [Fact]
    public void Every_sentence_of_the_real_corpus_is_a_verbatim_slice_without_footnote_markers()
    {
        foreach (var doc in CorpusLoader.Load(TestPaths.Corpus).Documents)
        {
            foreach (var span in SentenceSplitter.Split(doc.Text))
            {
                var sentence = doc.Text.Substring(span.Start, span.Length);
                Assert.DoesNotMatch(@"\[\d+(,\s*\d+)*\]", sentence);
                Assert.Equal(sentence.Trim(), sentence);
            }
        }
    }
}

public class CaseAnalyzerTests
{
    [Fact]
    public void Alias_names_share_a_group_token_and_typographic_hyphens_fold()
    {
        using var analyzer = new Indexing.CaseAnalyzer(Indexing.Aliases.Parse(["Met = Metropolitan Police = Scotland Yard", "# a comment", "lonely"]));
        var yard = analyzer.Terms("Scotland Yard said");
        var met = analyzer.Terms("The Metropolitan Police said");
        Assert.Contains(yard.Intersect(met), t => t.StartsWith("zzalias"));
        Assert.Equal(analyzer.Terms("Met-Police"), analyzer.Terms("Met\u2011Police"));
    }
}
