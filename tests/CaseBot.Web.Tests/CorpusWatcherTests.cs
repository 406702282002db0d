using CaseBot.Core.Corpus;
using CaseBot.Web.Moderation;
using CaseBot.Web.Options;
using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseBot.Web.Tests;

/// <summary>A moderator changing the corpus folder leads to exactly the reindexes it should.</summary>
public sealed class CorpusWatcherTests : IDisposable
{
    private readonly string _corpus = RepoPaths.NewTempFolder("casebot-watch");

    public CorpusWatcherTests() => RepoPaths.CopyFolder(RepoPaths.Corpus, _corpus);

    public void Dispose() => RepoPaths.DeleteQuietly(_corpus);

    private FakeCaseBot IndexedBot() => new(_corpus, CorpusLoader.Fingerprint(_corpus));

    private CorpusWatcher Watcher(FakeCaseBot bot) => new(bot,
        Microsoft.Extensions.Options.Options.Create(new ModerationOptions()), new CorpusLocation(_corpus), TimeProvider.System,
        NullLogger<CorpusWatcher>.Instance);

    [Fact]
    public async Task Dropping_an_article_into_the_folder_reindexes_as_corpus_watcher()
    {
        var bot = IndexedBot();
        await using var host = await RunningHost.StartAsync(bot,
            ["--Moderation:WatchCorpus=true", "--Moderation:WatchDebounceSeconds=0.2", "--Moderation:WatchPollSeconds=1"],
            corpusPath: _corpus);

        await File.WriteAllTextAsync(Path.Combine(_corpus, "005_newarticle.txt"), "A new article.\n\nThe Met appealed the decision.");

        var who = await bot.FirstReindex.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(CorpusWatcher.RequestedBy, who);
    }

    [Fact]
    public async Task Unchanged_documents_do_not_reindex_even_when_files_are_touched()
    {
        var bot = IndexedBot();
        var watcher = Watcher(bot);
        Assert.False(await watcher.ReindexIfChangedAsync(CancellationToken.None));

        var file = Directory.EnumerateFiles(_corpus, "*.txt").First();
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(5));
        Assert.False(await watcher.ReindexIfChangedAsync(CancellationToken.None));
        Assert.Empty(bot.Reindexes);
    }

    [Fact]
    public async Task Changed_documents_reindex_once()
    {
        var bot = IndexedBot();
        var watcher = Watcher(bot);
        var file = Directory.EnumerateFiles(_corpus, "*.txt").First();
        await File.AppendAllTextAsync(file, "\n\nA correction was published.");

        Assert.True(await watcher.ReindexIfChangedAsync(CancellationToken.None));
        Assert.False(await watcher.ReindexIfChangedAsync(CancellationToken.None));
        Assert.Equal([CorpusWatcher.RequestedBy], bot.Reindexes);
    }

    [Fact]
    public async Task A_failed_reindex_is_not_retried_until_the_documents_change_again()
    {
        var bot = IndexedBot();
        bot.FailReindex = true;
        var watcher = Watcher(bot);
        var file = Directory.EnumerateFiles(_corpus, "*.txt").First();
        await File.AppendAllTextAsync(file, "\n\nBroken edit.");
        Assert.True(await watcher.ReindexIfChangedAsync(CancellationToken.None));
        Assert.False(await watcher.ReindexIfChangedAsync(CancellationToken.None));

        await File.AppendAllTextAsync(file, "\n\nFixed edit.");
        Assert.True(await watcher.ReindexIfChangedAsync(CancellationToken.None));
        Assert.Equal(2, bot.Reindexes.Count);
    }

    [Theory]
    [InlineData(".hidden.txt", true)]
    [InlineData("005_new.txt~", true)]
    [InlineData(".005_new.txt.swp", true)]
    [InlineData("005_new.txt.part", true)]
    [InlineData("005_new.txt", false)]
    public void Editor_scratch_files_are_ignored(string name, bool scratch) =>
        Assert.Equal(scratch, CorpusSnapshot.IsScratchFile(name));
}
