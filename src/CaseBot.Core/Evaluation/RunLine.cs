using System.Text.Json;
using System.Text.Json.Serialization;
using CaseBot.Core.Answering;

namespace CaseBot.Core.Evaluation;

public sealed record RunCitation([property: JsonPropertyName("doc")] string Doc, [property: JsonPropertyName("quote")] string Quote);

/// <summary>One line of a run file, as <c>shared/eval/score.py</c> reads it.</summary>
public sealed record RunLine
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("answered")] public bool Answered { get; init; }
    [JsonPropertyName("answer")] public string Answer { get; init; } = "";
    [JsonPropertyName("short")] public string? Short { get; init; }
    [JsonPropertyName("citations")] public IReadOnlyList<RunCitation> Citations { get; init; } = [];
    [JsonPropertyName("docs")] public IReadOnlyList<string> Docs { get; init; } = [];
    [JsonPropertyName("scores")] public IReadOnlyList<double> Scores { get; init; } = [];
    [JsonPropertyName("ms")] public double Ms { get; init; }
    /// <summary>The decider's probability; not read by score.py, kept for tuning.</summary>
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("evidence")] public double[]? Evidence { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RunLine From(string id, Answer answer) => new()
    {
        Id = id,
        Answered = answer.Answered,
        Answer = answer.Text,
        Short = answer.Answered ? answer.Short : null,
        Citations = answer.Citations.Select(c => new RunCitation(c.DocId, c.Quote)).ToList(),
        Docs = answer.Docs.Take(10).Select(d => d.DocId).ToList(),
        Scores = answer.Docs.Take(10).Select(d => d.Score).ToList(),
        Ms = Math.Round(answer.Milliseconds, 4),
        Confidence = Math.Round(answer.Confidence, 4),
        Evidence = answer.Evidence?.Values.Select(x => Math.Round(x, 3)).ToArray(),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
