using CaseBot.Core.Answering;
using CaseBot.Slack.Formatting;
using CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Slack.Tests.Formatting;

public sealed class SlackAnswerFormatterTests
{
    private static readonly SlackAnswerFormatter Formatter = new(new FakeCaseBot());

    [Fact]
    public void Answer_puts_quotes_in_a_section_and_citations_with_titles_in_a_context_block()
    {
        var answer = new FakeCaseBot().Ask("why was the contract blocked?");

        var m = Formatter.Format(answer);

        var blocks = m.Blocks!;
        Assert.Equal("section", blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains(FakeCaseBot.Quote004, blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("context", blocks[1]!["type"]!.GetValue<string>());
        Assert.Equal($"*[004]* {FakeCaseBot.Title004}", blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());
        Assert.Equal($"[004] {FakeCaseBot.Quote004}", m.Text);
    }

    [Fact]
    public void Corpus_and_question_text_is_escaped_so_it_cannot_mention_anyone()
    {
        var answer = new Answer
        {
            Question = "<!here> what about <@U1> & co?",
            Answered = true,
            Text = "[004] " + FakeCaseBot.HostileQuote,
            Short = "<!everyone>",
            Citations = [new Citation("004", "Title with <!subteam^S1> & more", FakeCaseBot.HostileQuote)],
        };

        var m = Formatter.Format(answer, askedBy: "U0ASKER");
        var all = m.Text + m.Blocks!.ToJsonString(ApiCall.Readable);

        foreach (var raw in new[] { "<!channel>", "<!here>", "<!everyone>", "<@U999>", "<@U1>", "<!subteam" })
            Assert.DoesNotContain(raw, all);
        Assert.Contains("&lt;!channel&gt; &amp; &lt;@U999&gt;", all);
        Assert.Contains("&lt;!here&gt; what about &lt;@U1&gt; &amp; co?", all);
        Assert.Contains("<@U0ASKER> asked:", all); // the one mention CaseBot writes itself
    }

    [Fact]
    public void Decline_shows_the_decline_text_and_the_closest_document()
    {
        var answer = new FakeCaseBot().Ask("what colour is the mayor's car?");

        var m = Formatter.Format(answer);

        Assert.Equal("The case documents don't say.", m.Text);
        Assert.Contains("Closest document: *[002]* Palantir's policing work", m.Blocks!.ToJsonString(ApiCall.Readable));
    }

    [Fact]
    public void Very_long_quotes_stay_within_Slack_block_limits()
    {
        var quote = string.Join(' ', Enumerable.Repeat("word", 2000));
        var answer = new Answer { Question = "q", Answered = true, Text = quote, Citations = [new Citation("001", "T", quote)] };

        var m = Formatter.Format(answer);

        Assert.True(m.Blocks![0]!["text"]!["text"]!.GetValue<string>().Length <= 3000);
        Assert.True(m.Text.Length <= 4000);
    }

    [Theory]
    [InlineData("<@U111> why was it blocked?", "why was it blocked?")]
    [InlineData("<@U111|casebot>   what about   &lt;this&gt; &amp; that", "what about <this> & that")]
    [InlineData("see <https://example.org/a|the article> please", "see the article please")]
    [InlineData("<@U111>", "")]
    public void Incoming_text_becomes_the_question_the_user_typed(string text, string question) =>
        Assert.Equal(question, SlackText.ToQuestion(text));

    [Fact]
    public void Escape_handles_only_the_three_characters_Slack_reserves() =>
        Assert.Equal("a &amp; b &lt;c&gt; *d* `e`", SlackText.Escape("a & b <c> *d* `e`"));
}
