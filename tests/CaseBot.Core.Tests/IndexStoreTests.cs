using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Core.Tests;

public class IndexStoreTests
{
    [Fact]
    public void Rebuild_writes_a_manifest_and_points_current_at_the_new_build()
    {
        var store = new IndexStore(TestPaths.NewScratch());
        var (manifest, problems) = store.Rebuild(TestPaths.Corpus);

        Assert.Empty(problems);
        Assert.Equal(5, manifest.Documents);
        Assert.True(manifest.Passages > 50);
        Assert.Equal(CorpusLoader.Fingerprint(TestPaths.Corpus), store.CurrentManifest!.CorpusFingerprint);
        Assert.False(store.IsStale(TestPaths.Corpus));
    }

    [Fact]
    public void A_corpus_with_no_usable_document_is_refused_and_the_current_index_kept()
    {
        var store = new IndexStore(TestPaths.NewScratch());
        store.Rebuild(TestPaths.Corpus);
        var before = store.CurrentFolder;
        var bad = TestPaths.NewScratch();
        File.WriteAllText(Path.Combine(bad, "001_empty.txt"), "");

        var e = Assert.Throws<CorpusException>(() => store.Rebuild(bad));

        Assert.Contains("001_empty.txt", e.Message);
        Assert.Equal(before, store.CurrentFolder);
    }

    [Fact]
    public void A_build_cancelled_half_way_leaves_the_previous_index_live()
    {
        var store = new IndexStore(TestPaths.NewScratch());
        store.Rebuild(TestPaths.Corpus);
        var before = store.CurrentFolder;
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfterFirst(cts);

        Assert.ThrowsAny<OperationCanceledException>(() => store.Rebuild(TestPaths.Corpus, progress, cts.Token));

        Assert.Equal(before, store.CurrentFolder);
        using var index = SearchIndex.Open(store.CurrentFolder!);
        Assert.Equal(5, index.Documents.Count);
        Assert.Single(Directory.GetDirectories(store.Root, "build-*"));
    }

    [Fact]
    public void A_changed_corpus_makes_the_index_stale()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var store = new IndexStore(TestPaths.NewScratch());
        store.Rebuild(corpus);
        File.WriteAllText(Path.Combine(corpus, "005_new.txt"), "A new article about the Met.");
        Assert.True(store.IsStale(corpus));
    }

    /// <summary>Simulates a build killed part-way: cancels as soon as the first document is written.</summary>
    private sealed class CancelAfterFirst(CancellationTokenSource cts) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => cts.Cancel();
    }
}
