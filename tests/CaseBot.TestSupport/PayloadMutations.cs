using System.Text;
using System.Text.Json.Nodes;

namespace CaseBot.TestSupport;

/// <summary>One mutated platform payload: what was done to it (for the failure message) and the JSON text sent.</summary>
public sealed record PayloadMutation(string Name, string Text);

/// <summary>
/// Issue 11's "mutated platform payloads": from one official fixture, every field removed in turn, every field given
/// each wrong JSON kind (string, number, object, array, null, boolean), every array blown up to 10,000 elements (copies of its first, or empty ones when that is over 256 characters), every
/// string to 100 KB, unknown fields added to every object, and the text cut short at seeded points. Fields are reached
/// through objects and the first element of arrays. A field's path reads like <c>d.author.id</c> or <c>d.mentions[0]</c>.
/// </summary>
public static class PayloadMutations
{
    public const int HugeArray = 10_000;
    public const int HugeString = 100 * 1024;
    public const int Truncations = 8;
    public const int MaxRepeatedElement = 256;

    private static readonly (string Kind, Func<JsonNode?> Make)[] WrongKinds =
    [
        ("string", () => JsonValue.Create("mutated")),
        ("number", () => JsonValue.Create(12345)),
        ("object", () => new JsonObject { ["mutated"] = true }),
        ("array", () => new JsonArray(1, "two", null)),
        ("null", () => null),
        ("boolean", () => JsonValue.Create(true)),
    ];

    /// <summary>All mutations of <paramref name="payload"/> (left untouched), deterministic for a seed.</summary>
    public static IEnumerable<PayloadMutation> Of(JsonNode payload, Random rng)
    {
        var paths = Paths(payload, []).ToList();
        foreach (var path in paths)
        {
            var name = Describe(path);
            if (path[^1] is string) yield return Mutate(payload, path, $"{name} removed", (parent, key) => ((JsonObject)parent).Remove((string)key));
            var kind = KindOf(Get(payload, path));
            foreach (var (wrong, make) in WrongKinds.Where(w => w.Kind != kind))
                yield return Mutate(payload, path, $"{name} as {wrong}", (parent, key) => Set(parent, key, make()));
            if (kind == "array")
                yield return Mutate(payload, path, $"{name} with {HugeArray:N0} elements", (parent, key) =>
                {
                    // The first element repeated, unless it is large (a rich-text block is 5 KB: 10,000 of them would be
                    // 57 MB, past any client's message cap); then an empty one of its kind.
                    var array = (JsonArray)Get(parent, key)!;
                    var first = array.Count == 0 ? JsonValue.Create(0)
                        : array[0]?.ToJsonString().Length <= MaxRepeatedElement ? array[0]
                        : array[0] switch { JsonObject => new JsonObject(), JsonArray => new JsonArray(), _ => JsonValue.Create("") };
                    Set(parent, key, new JsonArray(Enumerable.Range(0, HugeArray).Select(_ => first?.DeepClone()).ToArray()));
                });
            if (kind == "string")
            {
                var huge = HugeText(rng);
                yield return Mutate(payload, path, $"{name} as a 100 KB string", (parent, key) => Set(parent, key, huge));
            }
        }
        foreach (var path in paths.Where(p => KindOf(Get(payload, p)) == "object").Prepend([]))
            yield return Mutate(payload, path, $"unknown fields in {Describe(path)}", (parent, key) =>
            {
                var target = path.Length == 0 ? (JsonObject)parent : (JsonObject)Get(parent, key)!;
                target["zz_unknown_field"] = new JsonObject { ["nested"] = new JsonArray(1, "x", null, new JsonObject()) };
                target["zz_unknown_number"] = 1e308;
            });
        var text = payload.ToJsonString();
        foreach (var cut in Enumerable.Range(0, Truncations).Select(_ => rng.Next(1, text.Length)).Distinct().Order())
            yield return new PayloadMutation($"truncated at {cut} of {text.Length} chars", text[..cut]);
    }

    /// <summary>100 KB of seeded text: letters, digits, spaces, punctuation, and characters outside ASCII.</summary>
    private static string HugeText(Random rng)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,;:!?'\"<>&@#*_~`|\\/ éßøπжकि中文🙂\u200B\u202E";
        var builder = new StringBuilder(HugeString);
        while (builder.Length < HugeString) builder.Append(alphabet[rng.Next(alphabet.Length)]);
        return builder.ToString(0, HugeString);
    }

    private static PayloadMutation Mutate(JsonNode payload, object[] path, string name, Action<JsonNode, object> change)
    {
        var copy = payload.DeepClone();
        if (path.Length == 0) change(copy, "");
        else change(Get(copy, path[..^1])!, path[^1]);
        return new PayloadMutation(name, copy.ToJsonString());
    }

    private static IEnumerable<object[]> Paths(JsonNode? node, object[] at)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    object[] path = [.. at, key];
                    yield return path;
                    foreach (var inner in Paths(value, path)) yield return inner;
                }
                break;
            case JsonArray { Count: > 0 } array:
                object[] first = [.. at, 0];
                yield return first;
                foreach (var inner in Paths(array[0], first)) yield return inner;
                break;
        }
    }

    private static JsonNode? Get(JsonNode? node, object[] path) => path.Aggregate(node, Get);

    private static JsonNode? Get(JsonNode? node, object key) => key is string name ? node?[name] : node?[(int)key];

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (key is string name) parent[name] = value;
        else parent[(int)key] = value;
    }

    private static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "string",
            System.Text.Json.JsonValueKind.Number => "number",
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
            _ => "null",
        },
    };

    private static string Describe(object[] path) => path.Length == 0 ? "the root" :
        string.Concat(path.Select((p, i) => p is int n ? $"[{n}]" : i == 0 ? (string)p : "." + p));
}
