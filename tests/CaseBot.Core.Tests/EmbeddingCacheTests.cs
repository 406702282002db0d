using CaseBot.Core.Indexing;
using CaseBot.Core.Indexing.Embeddings;

namespace CaseBot.Core.Tests;

public class EmbeddingCacheTests
{
    [Fact]
    public void A_reindex_of_an_unchanged_corpus_reuses_every_sentence_vector_and_encodes_only_new_sentences()
    {
        var root = TestPaths.NewScratch();
        var texts = new[] { "The mayor blocked the contract.", "Palantir grew out of the intelligence community.", "Officers were split." };
        var first = Path.Combine(root, "build-1");
        Directory.CreateDirectory(first);
        Assert.Equal(3, EmbeddingFile.Build(first, texts));

        var second = Path.Combine(root, "build-2");
        Directory.CreateDirectory(second);
        Assert.Equal(0, EmbeddingFile.Build(second, texts));
        Assert.Equal(EmbeddingFile.Read(first)!.SelectMany(v => v), EmbeddingFile.Read(second)!.SelectMany(v => v));

        var third = Path.Combine(root, "build-3");
        Directory.CreateDirectory(third);
        Assert.Equal(1, EmbeddingFile.Build(third, [.. texts, "A new sentence about procurement."]));
    }

    [Fact]
    public void Sentence_vectors_are_unit_length_and_closer_for_paraphrases_than_for_unrelated_text()
    {
        var v = SentenceEmbedder.Instance.Encode(["didn't palantir come out of the spy world?", "Palantir grew out of the US intelligence community.", "The weather in London this weekend."]);
        Assert.Equal(SentenceEmbedder.Dimensions, v[0].Length);
        Assert.Equal(1, SentenceEmbedder.Cosine(v[0], v[0]), 3);
        Assert.True(SentenceEmbedder.Cosine(v[0], v[1]) > SentenceEmbedder.Cosine(v[0], v[2]) + 0.2);
    }

    [Fact]
    public void An_index_built_by_the_store_carries_one_vector_per_sentence()
    {
        var store = new IndexStore(TestPaths.NewScratch());
        var (manifest, _) = store.Rebuild(TestPaths.Corpus);
        var folder = store.CurrentFolder!;
        using var index = SearchIndex.Open(folder);
        Assert.Equal(manifest.Passages, EmbeddingFile.Read(folder)!.Length);
        Assert.Equal(index.SentenceCount, index.Vectors.Length);
    }
}
