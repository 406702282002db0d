using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Insights;
using CaseBot.Insights.Storage;
using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseBot.Web.Tests;

/// <summary>👍/👎 in the console and the moderator report page, in a real headless Chromium.</summary>
[Collection("Browser")]
public sealed class FeedbackBrowserTests
{
    private const string Token = "correct-horse-battery-staple-42";

    [Fact]
    public async Task Voting_in_the_console_records_one_vote_that_a_second_click_changes_and_a_new_answer_resets()
    {
        Assert.True(Browser.Available, $"{Browser.ChromiumPath} is missing: apt-get install chromium (.ci/run does).");
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var store = host.Services.GetRequiredService<IInsightStore>();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());

        await page.FillAsync("#question", "Tell me about Palantir");
        await page.ClickAsync("#ask-button");
        await page.Locator("#answer[data-state=answered]").WaitForAsync();
        await page.Locator("#answer-feedback").WaitForAsync();
        Assert.Equal("false", await page.Locator("#vote-up").GetAttributeAsync("aria-pressed"));

        await page.ClickAsync("#vote-up");
        await page.Locator("#answer-feedback[data-vote=up]").WaitForAsync();
        var up = Assert.Single(await store.VotesSinceAsync(DateTimeOffset.UnixEpoch));
        Assert.Equal(1, up.Value);

        await page.ClickAsync("#vote-down");
        await page.Locator("#answer-feedback[data-vote=down]").WaitForAsync();
        Assert.Equal("true", await page.Locator("#vote-down").GetAttributeAsync("aria-pressed"));
        var down = Assert.Single(await store.VotesSinceAsync(DateTimeOffset.UnixEpoch));
        Assert.Equal((-1, up.UserHash, up.AnswerKey), (down.Value, down.UserHash, down.AnswerKey));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("console-feedback.png") });

        // A declined answer gets its own buttons, not pressed.
        await page.FillAsync("#question", "what about the weather");
        await page.ClickAsync("#ask-button");
        await page.Locator("#answer[data-state=declined]").WaitForAsync();
        await page.Locator("#answer-feedback[data-vote=none]").WaitForAsync();
        await page.ClickAsync("#vote-down");
        await page.Locator("#answer-feedback[data-vote=down]").WaitForAsync();
        Assert.Equal(2, (await store.VotesSinceAsync(DateTimeOffset.UnixEpoch)).Count);
    }

    [Fact]
    public async Task The_report_page_shows_grouped_declined_questions_the_chart_and_never_cited_documents_to_a_moderator()
    {
        Assert.True(Browser.Available, $"{Browser.ChromiumPath} is missing: apt-get install chromium (.ci/run does).");
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), [$"--Web:AdminToken={Token}"]);
        var bot = host.Services.GetRequiredService<ICaseBot>();
        var recorder = host.Services.GetRequiredService<InsightRecorder>();
        foreach (var (q, platform) in new[] { ("Is it raining in London?", "slack"), ("is it raining in london", "discord"), ("Palantir?", "web") })
            recorder.OnAnswered(new AnsweredQuestion(new AskContext(platform, "C1", "u"), q, bot.Ask(q), TimeSpan.FromMilliseconds(4), DateTimeOffset.UtcNow));
        await recorder.FlushAsync();

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/report").ToString());
        await page.FillAsync("#token", "not-the-token-at-all");
        await page.ClickAsync("#report-button");
        await page.Locator("#report-message.error").WaitForAsync();
        Assert.True(await page.Locator("#report").IsHiddenAsync());

        await page.FillAsync("#token", Token);
        await page.ClickAsync("#report-button");
        await page.Locator("#declined tbody tr").First.WaitForAsync();
        Assert.Equal(1, await page.Locator("#declined tbody tr").CountAsync());
        Assert.Equal("2", await page.Locator("#declined tbody tr td").First.TextContentAsync());
        Assert.Equal(3, await page.Locator("#rate-chart polyline").CountAsync());
        Assert.Equal(3, await page.Locator("#latency-chart-svg polyline").CountAsync());
        Assert.Equal(["discord", "slack", "web"], await page.Locator("#platforms tbody tr td:first-child").AllTextContentsAsync());
        Assert.Contains("[002]", await page.Locator("#never li").First.TextContentAsync());
        Assert.Equal(0, await page.Locator("#injected").CountAsync()); // document 002's markup title stays text
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("report.png"), FullPage = true });

        await page.ClickAsync("#replay-button");
        await page.Locator("#replay-message:has-text('None of the declined questions')").WaitForAsync();

        // The moderator adds the missing alias from the page: written to the corpus, reindexed, replayed.
        await page.FillAsync("#alias-line", "raining = precipitation");
        await page.ClickAsync("#alias-button");
        await page.Locator("#replay-message:has-text('Reindexed')").WaitForAsync();
        Assert.Contains("raining = precipitation", await File.ReadAllTextAsync(Path.Combine(host.CorpusPath, "aliases.conf")));
    }
}
