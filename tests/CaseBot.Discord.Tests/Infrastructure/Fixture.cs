using System.Text.Json.Nodes;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>The official Discord payloads copied into Fixtures/ (see Fixtures/SOURCES.md).</summary>
internal static class Fixture
{
    public static string Text(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "discord", relativePath));

    public static JsonNode Json(string relativePath) => JsonNode.Parse(Text(relativePath))!;

    public static JsonObject Object(string relativePath) => Json(relativePath).AsObject();
}

/// <summary>A docs HTTP example (<c>&lt; HTTP/1.1 429 …</c>, <c>&lt; Header: value</c> lines, then the body).</summary>
internal sealed record HttpFixture(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public static HttpFixture Load(string relativePath)
    {
        var status = 0;
        var headers = new List<KeyValuePair<string, string>>();
        var body = new List<string>();
        foreach (var line in Fixture.Text(relativePath).Split('\n'))
        {
            if (line.StartsWith("< HTTP/", StringComparison.Ordinal)) status = int.Parse(line.Split(' ')[2]);
            else if (line.StartsWith("< ", StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':');
                headers.Add(new(line[2..colon].Trim(), line[(colon + 1)..].Trim()));
            }
            else body.Add(line);
        }
        return new HttpFixture(status, headers, string.Join('\n', body).Trim());
    }

    public FakeResponse ToResponse() => new(Status, Body, Headers);
}
