using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>End to end with the real engine (CaseBotService via AddCaseBotCore) over a copy of the repo's corpus.</summary>
public sealed class RealEngineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Token = "real-engine-test-token-0123456789";

    private static async Task<JsonElement> GetJson(HttpClient http, string url) =>
        JsonDocument.Parse(await http.GetStringAsync(url).WaitAsync(Wait)).RootElement;

    [Theory]
    [InlineData("Who co-founded Palantir?")]
    [InlineData("What did Louis Mosley say?")]
    [InlineData("Why did Sadiq Khan block the Palantir contract?")]
    public async Task Every_citation_of_a_real_answer_opens_its_document_at_the_quote(string question)
    {
        await using var host = await RunningHost.StartAsync();
        var answer = await GetJson(host.Http, "/api/ask?q=" + Uri.EscapeDataString(question));
        Assert.True(answer.GetProperty("answered").GetBoolean(), answer.ToString());
        Assert.NotEmpty(answer.GetProperty("citations").EnumerateArray());
        foreach (var c in answer.GetProperty("citations").EnumerateArray())
        {
            var url = c.GetProperty("url").GetString()!;
            var (path, fragment) = (url[..url.IndexOf('#')], url[(url.IndexOf('#') + 3)..]);
            var doc = await GetJson(host.Http, $"/api{path}?quote={fragment}");
            var h = doc.GetProperty("highlight");
            Assert.True(h.ValueKind == JsonValueKind.Object, $"quote not found in {path}: {c.GetProperty("quote").GetString()}");
            Assert.Equal(c.GetProperty("quote").GetString(),
                doc.GetProperty("text").GetString()!.Substring(h.GetProperty("start").GetInt32(), h.GetProperty("length").GetInt32()));
        }
    }

    [Fact]
    public async Task The_real_engine_answers_with_citations_and_reports_its_index()
    {
        await using var host = await RunningHost.StartAsync();
        var answer = await GetJson(host.Http, "/api/ask?q=" + Uri.EscapeDataString("Who co-founded Palantir?"));
        Assert.True(answer.GetProperty("answered").GetBoolean());
        Assert.NotEmpty(answer.GetProperty("citations").EnumerateArray());

        var status = await GetJson(host.Http, "/api/status");
        Assert.Equal(5, status.GetProperty("documents").GetInt32());
        Assert.Matches("^[0-9a-f]{16}$", status.GetProperty("corpusFingerprint").GetString());
        Assert.Equal(5, (await GetJson(host.Http, "/api/docs")).GetArrayLength());
    }

    [Fact]
    public async Task The_console_says_why_it_answered_and_what_it_weighed_before_declining()
    {
        await using var host = await RunningHost.StartAsync();
        var answered = await GetJson(host.Http, "/api/ask?q=" + Uri.EscapeDataString("Who co-founded Palantir?"));
        var why = answered.GetProperty("why").GetString()!;
        Assert.Contains("Read as: Who co-founded Palantir?", why);
        Assert.Contains("(answered)", why);

        // Asks for a weekday; no sentence about the NHS work names one.
        var declined = await GetJson(host.Http, "/api/ask?q=" + Uri.EscapeDataString("On what day of the week did Palantir start its NHS work?"));
        Assert.False(declined.GetProperty("answered").GetBoolean(), declined.ToString());
        why = declined.GetProperty("why").GetString()!;
        Assert.Contains("(declined: ", why);
        Assert.Contains("Best passage weighed: [", why);
    }

    [Fact]
    public async Task Web_reindex_runs_the_real_engine_once_and_is_counted_once()
    {
        await using var host = await RunningHost.StartAsync(settings: [$"--Web:AdminToken={Token}"]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reindex");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await host.Http.SendAsync(request).WaitAsync(Wait);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, body.GetProperty("documents").GetInt32());
        Assert.True(body.GetProperty("passages").GetInt32() > 0);

        var status = await GetJson(host.Http, "/api/status");
        Assert.Equal("web console (127.0.0.1)", status.GetProperty("lastReindex").GetProperty("requestedBy").GetString());
        // The engine reports reindexes to the host's metrics; the host must not count them a second time.
        Assert.Contains("casebot_reindexes_total{result=\"succeeded\"} 1\n", await host.Http.GetStringAsync("/metrics").WaitAsync(Wait));
    }

    [Fact]
    public async Task A_new_article_dropped_into_the_corpus_is_indexed_by_the_watcher()
    {
        await using var host = await RunningHost.StartAsync(settings:
            ["--Moderation:WatchCorpus=true", "--Moderation:WatchDebounceSeconds=0.2", "--Moderation:WatchPollSeconds=1"]);
        await File.WriteAllTextAsync(Path.Combine(host.CorpusPath, "005_appeal.txt"),
            "Met Police appeals the mayor's decision\n\nThe Metropolitan Police lodged a formal appeal against the blocked contract in June.\n");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement status;
        do
        {
            await Task.Delay(100);
            status = await GetJson(host.Http, "/api/status");
        } while (status.GetProperty("documents").GetInt32() != 6 && DateTime.UtcNow < deadline);

        Assert.Equal(6, status.GetProperty("documents").GetInt32());
        Assert.Equal("corpus-watcher", status.GetProperty("lastReindex").GetProperty("requestedBy").GetString());
        var doc = await GetJson(host.Http, "/api/docs/005");
        Assert.Contains("formal appeal", doc.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Questions_asked_while_the_web_reindex_runs_are_all_answered()
    {
        await using var host = await RunningHost.StartAsync(settings: [$"--Web:AdminToken={Token}"]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reindex");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var reindex = host.Http.SendAsync(request);
        var questions = Enumerable.Range(0, 20)
            .Select(_ => host.Http.GetAsync("/api/ask?q=" + Uri.EscapeDataString("Who co-founded Palantir?")))
            .ToList();

        foreach (var response in await Task.WhenAll(questions).WaitAsync(Wait))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("answered").GetBoolean());
        }
        Assert.Equal(HttpStatusCode.OK, (await reindex.WaitAsync(Wait)).StatusCode);
    }
}
