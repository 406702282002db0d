using System.Text.Json;
using System.Text.Json.Serialization;
using CaseBot.Core.Answering.Features;

namespace CaseBot.Core.Answering.Models;

/// <summary>
/// Boosted binary trees of one depth over named features, flattened: per tree, (feature slot, threshold) for each
/// inner node in heap order, then the leaf values; an example goes left when its feature is at most the threshold.
/// The probability is the logistic of <see cref="Base"/> plus the leaves reached. Written by <c>casebot train</c>.
/// </summary>
public sealed class TreeModel
{
    [JsonPropertyName("features")] public required string[] Features { get; init; }
    [JsonPropertyName("base")] public required double Base { get; init; }
    [JsonPropertyName("depth")] public required int Depth { get; init; }
    /// <summary>Per tree: feature index into <see cref="Features"/> and threshold per inner node, then leaves.</summary>
    [JsonPropertyName("trees")] public required double[] Trees { get; init; }

    private int[]? _slots;

    /// <summary>Maps the stored feature names onto <see cref="Feature"/> slots; throws when a name is unknown.</summary>
    public TreeModel Bind()
    {
        _slots = Features.Select(n => Enum.TryParse<Feature>(n, out var f)
            ? (int)f
            : throw new InvalidDataException($"Model feature '{n}' is not one the engine computes; retrain with `casebot train`.")).ToArray();
        return this;
    }

    public int Inner => (1 << Depth) - 1;
    public int TreeSize => 2 * Inner + (1 << Depth);
    public int TreeCount => Trees.Length / TreeSize;

    public double LogOdds(double[] x)
    {
        var slots = _slots ?? Bind()._slots!;
        var sum = Base;
        var size = TreeSize;
        var inner = Inner;
        for (var o = 0; o + size <= Trees.Length; o += size)
        {
            var node = 0;
            for (var level = 0; level < Depth; level++)
                node = 2 * node + (x[slots[(int)Trees[o + 2 * node]]] <= Trees[o + 2 * node + 1] ? 1 : 2);
            sum += Trees[o + 2 * inner + node - inner];
        }
        return sum;
    }

    public double Probability(double[] x) => 1 / (1 + Math.Exp(-LogOdds(x)));
}

/// <summary>The engine's learned parts: the sentence ranker, the answer-or-decline decider and its threshold.</summary>
public sealed class EngineModel
{
    [JsonPropertyName("ranker")] public required TreeModel Ranker { get; init; }
    [JsonPropertyName("decider")] public required TreeModel Decider { get; init; }
    /// <summary>Answer when the decider's probability reaches this; chosen by cross-validation in the trainer.</summary>
    [JsonPropertyName("threshold")] public required double Threshold { get; init; }
    /// <summary>
    /// A threshold per corpus the trainer asked questions of, chosen by cross-validation on that corpus's questions alone:
    /// how often a question has no answer differs between a few news articles asked in chat and an adversarial yardstick.
    /// An engine's corpus of a size between two of them takes a threshold between theirs (on a log scale of sentences),
    /// so a handful of yardstick articles is not handed the chat threshold whole; none: <see cref="Threshold"/>.
    /// </summary>
    [JsonPropertyName("thresholds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CorpusThreshold>? Thresholds { get; init; }
    /// <summary>What the trainer measured, kept with the model so the README's figures can be checked against it.</summary>
    [JsonPropertyName("trainedOn")] public string? TrainedOn { get; init; }

    /// <summary>The threshold for a corpus of <paramref name="sentences"/> sentences.</summary>
    public double ThresholdFor(int sentences)
    {
        if (Thresholds is not { Count: > 0 }) return Threshold;
        var known = Thresholds.OrderBy(t => t.Sentences).ToList();
        if (sentences <= known[0].Sentences) return known[0].Threshold;
        if (sentences >= known[^1].Sentences) return known[^1].Threshold;
        var above = known.FindIndex(t => t.Sentences >= sentences);
        var (low, high) = (known[above - 1], known[above]);
        var share = (Math.Log(sentences) - Math.Log(low.Sentences)) / (Math.Log(high.Sentences) - Math.Log(low.Sentences));
        return low.Threshold + share * (high.Threshold - low.Threshold);
    }

    public const string ResourceName = "engine-model.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private static readonly Lazy<EngineModel> Shipped = new(() =>
    {
        var assembly = typeof(EngineModel).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + ResourceName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        return Load(stream);
    });

    /// <summary>The model shipped inside the assembly (<c>Answering/Models/engine-model.json</c>).</summary>
    public static EngineModel Default => Shipped.Value;

    public static EngineModel Load(Stream stream)
    {
        var model = JsonSerializer.Deserialize<EngineModel>(stream, Json) ?? throw new InvalidDataException("Empty engine model.");
        model.Ranker.Bind();
        model.Decider.Bind();
        return model;
    }

    public static EngineModel LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>The decline threshold fitted on the questions of one corpus of this many sentences.</summary>
public sealed record CorpusThreshold([property: JsonPropertyName("sentences")] int Sentences, [property: JsonPropertyName("threshold")] double Threshold);
