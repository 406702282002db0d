using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>The HTTP surface of <c>casebot serve</c> on a real Kestrel, with a fake engine.</summary>
public sealed class EndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Healthz_answers_ok()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var response = await host.Http.GetAsync("/healthz").WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Readyz_is_ready_with_an_index_and_no_adapters()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var response = await host.Http.GetAsync("/readyz").WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Readyz_is_503_until_every_configured_adapter_is_connected()
    {
        var slack = new FakeAdapter("slack", connected: false);
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), adapters: [new FakeAdapter("discord", true), slack]);

        var notReady = await host.Http.GetAsync("/readyz").WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var body = await Json(notReady);
        Assert.False(body.GetProperty("ready").GetBoolean());
        Assert.Contains(body.GetProperty("adapters").EnumerateArray(),
            a => a.GetProperty("platform").GetString() == "slack" && !a.GetProperty("connected").GetBoolean());

        slack.IsConnected = true;
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/readyz").WaitAsync(Wait)).StatusCode);
    }

    [Fact]
    public async Task Ask_returns_the_chat_text_with_citations_linking_to_the_quote()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var body = await Json(await host.Http.GetAsync("/api/ask?q=" + Uri.EscapeDataString("Who got the Palantir contract?")).WaitAsync(Wait));

        Assert.True(body.GetProperty("answered").GetBoolean());
        Assert.Equal($"[001] {FakeCaseBot.Quote}", body.GetProperty("text").GetString());
        Assert.Equal("£50m", body.GetProperty("short").GetString());
        var citation = Assert.Single(body.GetProperty("citations").EnumerateArray().ToList());
        Assert.Equal("001", citation.GetProperty("docId").GetString());
        Assert.Equal("/docs/001#q=" + Uri.EscapeDataString(FakeCaseBot.Quote), citation.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Ask_declined_names_the_closest_document()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var body = await Json(await host.Http.GetAsync("/api/ask?q=weather").WaitAsync(Wait));
        Assert.False(body.GetProperty("answered").GetBoolean());
        Assert.Equal("The case documents don't say.", body.GetProperty("text").GetString());
        Assert.Equal("002", body.GetProperty("closest").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Ask_without_a_question_is_a_usage_error_not_a_failure()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var response = await host.Http.GetAsync("/api/ask").WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("usageError").GetBoolean());
    }

    [Fact]
    public async Task Ask_refuses_overlong_questions_before_the_engine()
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot, ["--Web:MaxQuestionLength=20"]);
        var response = await host.Http.GetAsync("/api/ask?q=" + new string('a', 21)).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, bot.Asks);
    }

    [Fact]
    public async Task Json_escapes_markup_from_the_question_and_the_corpus()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var ask = await host.Http.GetStringAsync("/api/ask?q=" + Uri.EscapeDataString("<script>alert('x')</script> markup")).WaitAsync(Wait);
        var docs = await host.Http.GetStringAsync("/api/docs").WaitAsync(Wait);
        foreach (var raw in new[] { ask, docs })
        {
            Assert.DoesNotContain("<", raw);
            Assert.DoesNotContain(">", raw);
            Assert.Contains("\\u003C", raw);
        }
        // Escaped, not lost: it decodes back to the original text.
        Assert.Equal(FakeCaseBot.MarkupTitle, JsonDocument.Parse(docs).RootElement[1].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Docs_lists_id_title_and_size()
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot);
        var docs = (await Json(await host.Http.GetAsync("/api/docs").WaitAsync(Wait))).EnumerateArray().ToList();
        Assert.Equal(["001", "002"], docs.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal("Mayor blocks Palantir deal", docs[0].GetProperty("title").GetString());
        Assert.Equal(bot.Documents[0].Text.Length, docs[0].GetProperty("characters").GetInt32());
    }

    [Fact]
    public async Task Doc_by_id_highlights_the_quoted_sentence()
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot);
        var doc = await Json(await host.Http.GetAsync("/api/docs/001?quote=" + Uri.EscapeDataString(FakeCaseBot.Quote)).WaitAsync(Wait));
        var text = doc.GetProperty("text").GetString()!;
        var h = doc.GetProperty("highlight");
        Assert.Equal(FakeCaseBot.Quote, text.Substring(h.GetProperty("start").GetInt32(), h.GetProperty("length").GetInt32()));
    }

    [Fact]
    public async Task Unknown_doc_is_404()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/docs/999").WaitAsync(Wait)).StatusCode);
    }

    [Fact]
    public async Task Status_reports_build_time_fingerprint_and_whether_web_reindex_is_on()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(fingerprint: "abc123def4567890"));
        var s = await Json(await host.Http.GetAsync("/api/status").WaitAsync(Wait));
        Assert.Equal("abc123def4567890", s.GetProperty("corpusFingerprint").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), s.GetProperty("builtAt").GetDateTimeOffset());
        Assert.Equal(2, s.GetProperty("documents").GetInt32());
        Assert.False(s.GetProperty("reindexFromWeb").GetBoolean());
    }

    [Fact]
    public async Task Console_page_is_served_with_a_strict_content_security_policy()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var page = await host.Http.GetAsync("/").WaitAsync(Wait);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync());
        var script = await host.Http.GetAsync("/assets/app.js").WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/docs/001").WaitAsync(Wait)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/assets/nope.js").WaitAsync(Wait)).StatusCode);
    }

    [Fact]
    public async Task Metrics_count_web_questions_by_outcome_in_prometheus_text()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        await host.Http.GetAsync("/api/ask?q=Palantir").WaitAsync(Wait);
        await host.Http.GetAsync("/api/ask?q=Palantir%3F").WaitAsync(Wait);
        await host.Http.GetAsync("/api/ask?q=weather").WaitAsync(Wait);
        var metrics = await host.Http.GetStringAsync("/metrics").WaitAsync(Wait);
        Assert.Contains("casebot_questions_total{platform=\"web\",outcome=\"answered\"} 2", metrics);
        Assert.Contains("casebot_questions_total{platform=\"web\",outcome=\"declined\"} 1", metrics);
        Assert.Contains("casebot_answer_latency_seconds_count{platform=\"web\"} 3", metrics);
        Assert.Contains("casebot_index_documents 2", metrics);
    }
}
