using System.Text.Json;
using CaseBot.Web.Tests.Support;
using Microsoft.Playwright;

namespace CaseBot.Web.Tests;

/// <summary>The console in a real headless Chromium: ask, read the cited answer, follow a citation, screenshot.</summary>
[Collection("Browser")]
public sealed class BrowserTests
{
    [Fact]
    public async Task Asking_in_the_console_shows_the_cited_answer_and_a_citation_opens_the_quote()
    {
        Assert.True(Browser.Available, $"{Browser.ChromiumPath} is missing: apt-get install chromium (.ci/run does).");
        await using var host = await RunningHost.StartAsync(); // the real engine over the repo's corpus
        const string question = "Who co-founded Palantir?";
        var expected = JsonDocument.Parse(await host.Http.GetStringAsync("/api/ask?q=" + Uri.EscapeDataString(question))).RootElement;
        Assert.True(expected.GetProperty("answered").GetBoolean(), "the engine should answer the browser test's question");

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await page.Locator("#docs tbody tr").First.WaitForAsync();
        Assert.Equal(5, await page.Locator("#docs tbody tr").CountAsync());

        await page.FillAsync("#question", question);
        await page.ClickAsync("#ask-button");
        await page.Locator("#answer[data-state=answered]").WaitForAsync();

        // Exactly the text chat shows, with each [id] a link to the document at its quote.
        var shown = await page.Locator("#answer-text").TextContentAsync();
        Assert.Equal(expected.GetProperty("text").GetString(), shown);
        var firstCitation = expected.GetProperty("citations")[0];
        var link = page.Locator("#answer-text a.cite").First;
        Assert.Equal($"[{firstCitation.GetProperty("docId").GetString()}]", await link.TextContentAsync());
        Assert.Equal(firstCitation.GetProperty("url").GetString(), await link.GetAttributeAsync("href"));
        // "Why this answer?" folded under it, the API's text when opened.
        Assert.False(await page.Locator("#answer-why-text").IsVisibleAsync());
        await page.ClickAsync("#answer-why summary");
        Assert.Equal(expected.GetProperty("why").GetString(), await page.Locator("#answer-why-text").TextContentAsync());
        await page.Locator("#status dd").First.WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("console-answer.png"), FullPage = true });

        await link.ClickAsync();
        await page.Locator("mark#quote").WaitForAsync();
        Assert.Equal(firstCitation.GetProperty("quote").GetString(), await page.Locator("mark#quote").TextContentAsync());
        Assert.True(await page.Locator("#doc-notice").IsHiddenAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("console-document.png") });
    }

    [Fact]
    public async Task Markup_in_the_corpus_and_the_question_is_shown_as_text_never_run()
    {
        Assert.True(Browser.Available, $"{Browser.ChromiumPath} is missing: apt-get install chromium (.ci/run does).");
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await page.Locator("#docs tbody tr").Nth(1).WaitForAsync();

        await page.FillAsync("#question", "<b id=\"q-injected\">show</b> the markup");
        await page.ClickAsync("#ask-button");
        await page.Locator("#answer[data-state=answered]").WaitForAsync();

        Assert.Equal("[002] Text with <img src=x onerror=\"window.pwned=2\"> markup.", await page.Locator("#answer-text").TextContentAsync());
        Assert.Contains("<b id=\"q-injected\">", await page.Locator("#answer-question").TextContentAsync());
        Assert.Equal(FakeCaseBot.MarkupTitle, await page.Locator("#docs tbody tr").Nth(1).Locator("td").Nth(1).TextContentAsync());
        Assert.Equal(0, await page.Locator("#injected, #q-injected, #answer img, #docs img").CountAsync());

        // A decline shows the plain text and the closest document, its markup title as text too.
        await page.FillAsync("#question", "what about the weather");
        await page.ClickAsync("#ask-button");
        await page.Locator("#answer[data-state=declined]").WaitForAsync();
        Assert.Equal("The case documents don't say.", await page.Locator("#answer-text").TextContentAsync());
        Assert.Equal($"Closest document: [002] {FakeCaseBot.MarkupTitle}", await page.Locator("#answer-closest").TextContentAsync());
        Assert.Equal(0, await page.Locator("#injected").CountAsync());

        await page.FillAsync("#question", "the markup again");
        await page.ClickAsync("#ask-button");
        await page.Locator("#answer[data-state=answered]").WaitForAsync();
        await page.Locator("#answer-text a.cite").ClickAsync();
        await page.Locator("mark#quote").WaitForAsync();
        Assert.Equal(0, await page.Locator("#doc-text img").CountAsync());
        Assert.Equal(FakeCaseBot.MarkupTitle, (await page.Locator("#doc-title").TextContentAsync())![6..]);
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
    }
}
