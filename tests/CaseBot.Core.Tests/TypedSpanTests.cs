using CaseBot.Core.Answering.Candidates;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Corpus;

namespace CaseBot.Core.Tests;

public class TypedSpanTests
{
    private static string Sentence(string docPrefix, string containing)
    {
        var text = File.ReadAllText(Directory.GetFiles(TestPaths.Corpus, docPrefix + "_*")[0]);
        var at = text.IndexOf(containing, StringComparison.Ordinal);
        Assert.True(at >= 0, containing);
        var start = text.LastIndexOf(". ", at, StringComparison.Ordinal);
        var end = text.IndexOf(". ", at, StringComparison.Ordinal);
        return text[(start < 0 ? 0 : start + 2)..(end < 0 ? text.Length : end + 1)];
    }

    [Fact]
    public void Sums_are_recognised_with_their_currency_on_a_real_sentence()
    {
        var spans = TypedSpans.Find(Sentence("004", "($67 million)"));
        Assert.Contains(spans, s => s.Type == AnswerType.Money && s.Text == "£50 million" && s.Currency == '£');
        Assert.Contains(spans, s => s.Type == AnswerType.Money && s.Text == "$67 million" && s.Currency == '$');
        Assert.Contains(spans, s => s.Type == AnswerType.Date && s.Text == "May 21");
    }

    [Fact]
    public void Names_are_sorted_into_people_organisations_and_parties()
    {
        var spans = TypedSpans.Find("Palantir is co-founded by billionaire Peter Thiel and works with the Ministry of Defence, said Labour MP Stella Creasy on Saturday.");
        Assert.Contains(spans, s => s.Type == AnswerType.Person && s.Text == "Peter Thiel");
        Assert.Contains(spans, s => s.Type == AnswerType.Organisation && s.Text == "Ministry of Defence");
        Assert.Contains(spans, s => s.Type == AnswerType.Party && s.Text == "Labour");
        Assert.Contains(spans, s => s.Type == AnswerType.Weekday && s.Text == "Saturday");
    }

    [Fact]
    public void A_capitalised_opener_ending_in_s_is_not_taken_for_a_name()
    {
        var spans = TypedSpans.Find("Critics said so. This Palantir deal worried them.");
        Assert.DoesNotContain(spans, s => s.Text.StartsWith("This", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Text == "Palantir");
    }

    [Fact]
    public void Percentages_durations_and_years_are_recognised()
    {
        var spans = TypedSpans.Find("In 2023 about 40% of forces spent three years and £200 million on it.");
        Assert.Contains(spans, s => s.Type == AnswerType.Year && s.Text == "2023");
        Assert.Contains(spans, s => s.Type == AnswerType.Percent && s.Text == "40%");
        Assert.Contains(spans, s => s.Type == AnswerType.Duration && s.Text == "three years");
        Assert.Contains(spans, s => s.Type == AnswerType.Money && s.Text == "£200 million");
    }

    [Fact]
    public void Every_span_is_a_verbatim_slice_of_its_text()
    {
        var text = Sentence("004", "holds over");
        foreach (var s in TypedSpans.Find(text)) Assert.Equal(s.Text, text.Substring(s.Start, s.Length));
    }

    [Fact]
    public void Publication_date_byline_and_reading_time_are_read_where_the_article_gives_them()
    {
        var april = DocumentMetadata.Parse(File.ReadAllText(Directory.GetFiles(TestPaths.Corpus, "002_*")[0]));
        Assert.Equal(new DateOnly(2026, 4, 27), april.Published);
        Assert.Equal("27 Apr 2026", april.Label);

        var explainer = DocumentMetadata.Parse(File.ReadAllText(Directory.GetFiles(TestPaths.Corpus, "001_*")[0]));
        Assert.Equal("Trends Reporter", explainer.Byline);
        Assert.Equal("4 min read", explainer.ReadingTime);
        Assert.Null(explainer.Published);
        Assert.Null(explainer.Label);
    }

    [Fact]
    public void An_article_without_metadata_lines_has_none_and_nothing_is_guessed()
    {
        var none = DocumentMetadata.Parse(File.ReadAllText(Directory.GetFiles(TestPaths.Corpus, "000_*")[0]));
        Assert.Equal(DocumentMetadata.None, none);
    }
}
