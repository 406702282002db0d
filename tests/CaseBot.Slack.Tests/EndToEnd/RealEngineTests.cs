using CaseBot.Core;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack.Tests.EndToEnd;

/// <summary>The adapter over the real engine (AddCaseBotCore) on the repository's corpus, index built into a temp folder.</summary>
public sealed class RealEngineTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _index = Path.Combine(Path.GetTempPath(), "casebot-slack-tests", Guid.NewGuid().ToString("N")[..10]);

    private readonly RecordingMetrics _metrics = new();

    private Task<SlackTestHost> StartAsync(FakeSlack slack) =>
        SlackTestHost.StartAsync(slack, null, s =>
        {
            s["CaseBot:CorpusPath"] = RepoPaths.Corpus;
            s["CaseBot:IndexPath"] = _index;
        }, services: sc => sc.AddSingleton<CaseBot.Core.Hosting.IBotMetrics>(_metrics).AddCaseBotCore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CaseBot:CorpusPath"] = RepoPaths.Corpus,
            ["CaseBot:IndexPath"] = _index,
        }).Build()));

    [Fact]
    public async Task Mention_is_answered_from_the_real_corpus_with_its_citations_and_a_decline_is_plain()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await StartAsync(slack);
        var engine = host.Services.GetRequiredService<ICaseBot>();
        var link = await slack.NextLinkAsync(Wait); // the real index is built at start-up: slow on a loaded machine
        const string question = "Why did the mayor block the Palantir contract?";
        const string offTopic = "What is the mayor's favourite colour?";

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", question, ts: "1.1"));
        await link.SendAsync(Fixture.DirectMessage("env-2", "Ev2", offTopic));
        await host.Queue.WaitForCompletedAsync(2).WaitAsync(Wait);

        var expected = engine.Ask(question);
        Assert.True(expected.Answered);
        var calls = slack.ChatCalls();
        var answer = Assert.Single(calls, c => c.Str("thread_ts") == "1.1");
        foreach (var c in expected.Citations)
        {
            Assert.Contains($"*[{c.DocId}]*", answer.BlocksJson);
            Assert.Contains(Slack.Formatting.SlackText.Escape(c.Quote)[..40], answer.BlocksJson);
        }
        var decline = Assert.Single(calls, c => c.Str("channel") == "D111");
        Assert.Contains("don't say", decline.Str("text"));
    }

    [Fact]
    public async Task Moderator_reindex_rebuilds_the_real_index_and_is_counted_in_the_metrics_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await StartAsync(slack);
        var link = await slack.NextLinkAsync(Wait); // the real index is built at start-up: slow on a loaded machine

        await link.SendAsync(Fixture.Slash("env-1", "reindex", user: "U0MOD1"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var report = Assert.Single(slack.ChatCalls());
        Assert.Equal("chat.postEphemeral", report.Method);
        Assert.Equal(5, host.Services.GetRequiredService<ICaseBot>().Documents.Count);
        // The engine counts every reindex, whoever asked; the Slack handler used to count it a second time.
        Assert.Equal([true], _metrics.Reindexes);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_index, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
