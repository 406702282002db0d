using CaseBot.Web.WebConsole;

namespace CaseBot.Web.Tests;

public sealed class QuoteLocatorTests
{
    [Fact]
    public void Finds_an_exact_quote()
    {
        const string text = "First. The mayor blocked it. Last.";
        var span = QuoteLocator.Find(text, "The mayor blocked it.");
        Assert.Equal("The mayor blocked it.", text.Substring(span!.Value.Start, span.Value.Length));
    }

    [Fact]
    public void Finds_a_quote_whose_whitespace_and_case_differ()
    {
        const string text = "First.\nThe mayor\n  blocked   it. Last.";
        var span = QuoteLocator.Find(text, "the Mayor blocked it.");
        Assert.Equal("The mayor\n  blocked   it.", text.Substring(span!.Value.Start, span.Value.Length));
    }

    [Fact]
    public void Finds_a_shortened_quote_without_its_ellipsis()
    {
        const string text = "The mayor blocked the contract on Tuesday.";
        var span = QuoteLocator.Find(text, "The mayor blocked …");
        Assert.Equal(0, span!.Value.Start);
        Assert.Equal("The mayor blocked".Length, span.Value.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Not in the text at all.")]
    public void Returns_null_when_there_is_nothing_to_highlight(string? quote) =>
        Assert.Null(QuoteLocator.Find("The mayor blocked it.", quote));
}
