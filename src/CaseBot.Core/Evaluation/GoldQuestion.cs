using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseBot.Core.Evaluation;

/// <summary>A line of a gold question file (the format of <c>shared/eval/score.py</c>).</summary>
public sealed record GoldQuestion
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("question")] public required string Question { get; init; }
    [JsonPropertyName("answerable")] public bool Answerable { get; init; }
    [JsonPropertyName("answers")] public IReadOnlyList<string> Answers { get; init; } = [];
    [JsonPropertyName("gold_docs")] public IReadOnlyList<string>? GoldDocs { get; init; }
    [JsonPropertyName("gold_doc")] public string? GoldDoc { get; init; }
    /// <summary>The article a yardstick question belongs to (cross-validation groups).</summary>
    [JsonPropertyName("title")] public string? Title { get; init; }

    public IReadOnlyList<string> Gold => GoldDocs ?? (GoldDoc is null ? [] : [GoldDoc]);

    /// <summary>Reads a JSONL file; a bad line is reported with its number.</summary>
    public static List<GoldQuestion> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Question file '{path}' does not exist.", path);
        var list = new List<GoldQuestion>();
        var n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                list.Add(JsonSerializer.Deserialize<GoldQuestion>(line) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{n}: not a question line ({e.Message}).");
            }
        }
        return list;
    }
}
