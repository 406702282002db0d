using CaseBot.Core;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Discord.Tests.EndToEnd;

/// <summary>The adapter over the real engine (AddCaseBotCore) on the repository's corpus, the index built in a temp folder.</summary>
public sealed class RealEngineTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);
    private readonly string _index = RepoPaths.NewTempIndex();

    private Task<DiscordTestRig> StartAsync() => DiscordTestRig.StartAsync(s =>
    {
        s["CaseBot:CorpusPath"] = RepoPaths.Corpus;
        s["CaseBot:IndexPath"] = _index;
    }, realEngine: true);

    [Fact]
    public async Task Mention_and_slash_ask_are_answered_from_the_real_corpus_with_its_citations_and_titles()
    {
        await using var rig = await StartAsync();
        var engine = rig.Host.Services.GetRequiredService<ICaseBot>();
        const string question = "Why did the mayor block the Palantir contract?";
        var expected = engine.Ask(question);
        Assert.True(expected.Answered, expected.Text);
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "10001", question));
        await gateway.SendAsync(Events.Interaction(3, Events.Command("ask", "question", question)));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"), Slow);
        var callback = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/callback"), Slow);

        foreach (var content in new[] { (string)reply.Json!["content"]!, (string)callback.Json!["data"]!["content"]! })
        {
            Assert.InRange(content.Length, 1, 2000);
            var first = expected.Citations[0];
            Assert.Contains($"[{first.DocId}]", content);
            Assert.Contains(first.Title.Length > 40 ? first.Title[..40] : first.Title, content.Replace("\\", ""));
        }
    }

    [Fact]
    public async Task An_off_topic_question_is_declined_plainly()
    {
        await using var rig = await StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.DirectMessage(2, "11001", "What is the mayor's favourite colour?"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"), Slow);

        Assert.Contains("don't say", (string)reply.Json!["content"]!);
    }

    [Fact]
    public async Task Moderator_reindex_rebuilds_the_real_index_and_is_counted_in_the_metrics_once()
    {
        await using var rig = await StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Interaction(2, Events.Command("reindex")));
        var edit = await rig.Fake.WaitForRequestAsync(r => r.Method == "PATCH", Slow);

        Assert.StartsWith("Reindexed", (string)edit.Json!["content"]!);
        Assert.Equal(5, rig.Host.Services.GetRequiredService<ICaseBot>().Documents.Count);
        // The engine counts every reindex, whoever asked; the adapter used to count it a second time.
        Assert.Equal([true], rig.Metrics.Reindexes);
    }

    public void Dispose() => RepoPaths.DeleteQuietly(_index);
}
