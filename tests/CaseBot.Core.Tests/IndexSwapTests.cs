using CaseBot.Core.Indexing;

namespace CaseBot.Core.Tests;

/// <summary>
/// Index swaps by reference counting, and reindexes seen by every engine on the same index folder (issue 11 item 10,
/// issue 10 item 7). A second <see cref="CaseBotService"/> on the same folder stands for a second process: its leases
/// are file locks taken through separate open files, exactly as another process's would be.
/// </summary>
public class IndexSwapTests
{
    private const string ZebraText = "Zebra crossings outside City Hall were repainted in purple by the council in June.";
    private const string ZebraQuestion = "What colour were the zebra crossings repainted?";

    private static bool Builds(string root, string build) => Directory.Exists(Path.Combine(root, build));

    [Fact]
    public async Task A_second_engine_on_the_same_index_folder_answers_from_a_reindex_made_by_the_first()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var index = TestPaths.NewScratch();
        using var first = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        using var second = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        Assert.False(second.Ask(ZebraQuestion).Answered);

        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), ZebraText);
        Assert.True((await first.ReindexAsync("mod")).Succeeded);

        Assert.True(second.RefreshFromStore());
        Assert.Equal(6, second.Documents.Count);
        Assert.Equal("005", second.Ask(ZebraQuestion).Citations[0].DocId);
        Assert.Equal(first.Status.IndexPath, second.Status.IndexPath);
        Assert.False(second.RefreshFromStore()); // nothing new: no swap
    }

    [Fact]
    public void An_engine_picks_up_a_build_written_by_the_reindex_command_path()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var index = TestPaths.NewScratch();
        using var serve = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), ZebraText);

        new IndexStore(index).Rebuild(corpus); // what `casebot reindex` runs

        Assert.True(serve.RefreshFromStore());
        Assert.True(serve.Ask(ZebraQuestion).Answered);
    }

    [Fact]
    public async Task An_old_build_held_by_an_in_flight_question_is_neither_disposed_nor_deleted_until_released()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var index = TestPaths.NewScratch();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var held = bot.AcquireIndex(); // a question still running on the first build
        var oldBuild = held.Index.Build;
        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), ZebraText);
        Assert.True((await bot.ReindexAsync("mod")).Succeeded);
        File.WriteAllText(Path.Combine(corpus, "006_more.txt"), "Another short article about the Met.");
        Assert.True((await bot.ReindexAsync("mod")).Succeeded); // two swaps: the held build is not even the previous one
        bot.BuildClosed += b => { if (b == oldBuild) closed.TrySetResult(b); };

        Assert.False(held.Index.IsClosed);
        Assert.True(Builds(index, oldBuild));
        Assert.Equal(5, held.Index.Index.Documents.Count);
        Assert.True(held.Index.Engine.Ask("Why did City Hall say it blocked the deal?").Answered); // still searchable
        Assert.Equal(7, bot.Documents.Count); // while new questions use the newest build

        held.Dispose();

        Assert.Equal(oldBuild, await closed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(held.Index.IsClosed);
        Assert.False(Builds(index, oldBuild));
        Assert.Single(Directory.GetDirectories(index, "build-*")); // the middle build had no user: swept too
    }

    [Fact]
    public async Task A_build_open_in_another_engine_is_not_deleted_by_a_reindex_until_that_engine_moves_on()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var index = TestPaths.NewScratch();
        using var first = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        using var other = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        var otherBuild = Path.GetFileName(other.Status.IndexPath);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        other.BuildClosed += b => closed.TrySetResult(b);

        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), ZebraText);
        Assert.True((await first.ReindexAsync("mod")).Succeeded);
        File.WriteAllText(Path.Combine(corpus, "006_more.txt"), "Another short article about the Met.");
        Assert.True((await first.ReindexAsync("mod")).Succeeded);

        Assert.True(Builds(index, otherBuild)); // `other` still answers from it
        Assert.True(other.Ask("Why did City Hall say it blocked the deal?").Answered);

        Assert.True(other.RefreshFromStore());
        Assert.Equal(otherBuild, await closed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(Builds(index, otherBuild));
    }

    [Fact]
    public void A_lease_left_by_a_process_that_died_does_not_keep_its_build()
    {
        var store = new IndexStore(TestPaths.NewScratch());
        store.Rebuild(TestPaths.Corpus);
        var old = store.CurrentBuild!;
        // A lease file nobody holds open: what a killed process leaves behind.
        Directory.CreateDirectory(Path.Combine(store.Root, IndexStore.LeaseFolder));
        File.WriteAllText(Path.Combine(store.Root, IndexStore.LeaseFolder, $"{old}.4242.deadbeef.lease"), "");
        Assert.False(store.IsLeased(old));

        store.Rebuild(TestPaths.Corpus);

        Assert.False(Builds(store.Root, old));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Root, IndexStore.LeaseFolder)));
    }

    [Fact]
    public void A_held_lease_is_seen_through_a_separate_open_of_the_same_file()
    {
        var store = new IndexStore(TestPaths.NewScratch());
        store.Rebuild(TestPaths.Corpus);
        var build = store.CurrentBuild!;

        using (store.Lease(build, required: true))
        {
            // Checking never removes a held lease: every check still sees it.
            for (var i = 0; i < 3; i++) Assert.True(store.IsLeased(build));
            Assert.Single(Directory.GetFiles(Path.Combine(store.Root, IndexStore.LeaseFolder), build + ".*"));
        }

        Assert.False(store.IsLeased(build));
    }

    [Fact]
    public void A_question_after_dispose_of_a_swapped_build_uses_the_new_build_never_a_closed_one()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var index = TestPaths.NewScratch();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        var before = bot.AcquireIndex();
        before.Dispose();
        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), ZebraText);
        new IndexStore(index).Rebuild(corpus);

        Assert.True(bot.RefreshFromStore());

        Assert.True(before.Index.IsClosed);
        using var now = bot.AcquireIndex();
        Assert.False(now.Index.IsClosed);
        Assert.True(bot.Ask(ZebraQuestion).Answered);
    }

    [Fact]
    public void Following_the_pointer_after_dispose_is_a_no_op_not_an_exception()
    {
        var bot = EngineFixture.OpenCase();
        bot.Dispose();
        Assert.False(bot.RefreshFromStore());
    }
}
