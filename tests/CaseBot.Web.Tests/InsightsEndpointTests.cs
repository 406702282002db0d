using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseBot.Core;
using CaseBot.Core.Feedback;
using CaseBot.Core.Hosting;
using CaseBot.Insights;
using CaseBot.Insights.Storage;
using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Web.Tests;

/// <summary>The console's vote endpoint and the moderator report / replay API, on the real host.</summary>
public sealed class InsightsEndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Token = "correct-horse-battery-staple-42";

    private static HttpRequestMessage Admin(HttpMethod method, string url, string? bearer = Token)
    {
        var request = new HttpRequestMessage(method, url);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    [Fact]
    public async Task A_browser_has_one_vote_per_answer_which_it_can_change_and_withdraw()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var answer = JsonDocument.Parse(await host.Http.GetStringAsync("/api/ask?q=Palantir").WaitAsync(Wait)).RootElement;
        var body = new { question = "Palantir", text = answer.GetProperty("text").GetString(), vote = "up" };

        var first = await host.Http.PostAsJsonAsync("/api/feedback", body).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(Insights.InsightsEndpoints.UserCookie + "=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        // HttpClient keeps the cookie: the same browser votes again, then changes its mind, then withdraws.
        await host.Http.PostAsJsonAsync("/api/feedback", body).WaitAsync(Wait);
        var changed = JsonDocument.Parse(await (await host.Http.PostAsJsonAsync("/api/feedback", body with { vote = "down" })).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((0, 1, "down"), (changed.GetProperty("up").GetInt32(), changed.GetProperty("down").GetInt32(), changed.GetProperty("vote").GetString()));
        Assert.Equal(AnswerKey.For("Palantir", body.text!), changed.GetProperty("answerKey").GetString());

        // Another browser (no cookie) adds its own vote.
        using var other = new HttpClient { BaseAddress = host.BaseAddress };
        var second = JsonDocument.Parse(await (await other.PostAsJsonAsync("/api/feedback", body)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((1, 1), (second.GetProperty("up").GetInt32(), second.GetProperty("down").GetInt32()));

        var withdrawn = JsonDocument.Parse(await (await host.Http.PostAsJsonAsync("/api/feedback", body with { vote = "none" })).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((1, 0), (withdrawn.GetProperty("up").GetInt32(), withdrawn.GetProperty("down").GetInt32()));
        var votes = await host.Services.GetRequiredService<IInsightStore>().VotesSinceAsync(DateTimeOffset.UnixEpoch);
        Assert.Equal("web", Assert.Single(votes).Platform);
    }

    [Theory]
    [InlineData("""{"question":"Palantir","text":"x","vote":"maybe"}""")]
    [InlineData("""{"text":"x","vote":"up"}""")]
    public async Task A_malformed_vote_is_refused(string json)
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var response = await host.Http.PostAsync("/api/feedback", new StringContent(json, System.Text.Encoding.UTF8, "application/json")).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_report_needs_the_moderator_token()
    {
        await using (var off = await RunningHost.StartAsync(new FakeCaseBot()))
        {
            var refused = await off.Http.SendAsync(Admin(HttpMethod.Get, "/api/insights/report")).WaitAsync(Wait);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Web__AdminToken", await refused.Content.ReadAsStringAsync());
        }
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), [$"--Web:AdminToken={Token}"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(Admin(HttpMethod.Get, "/api/insights/report", "wrong-token-of-some-length"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(Admin(HttpMethod.Post, "/api/insights/replay", null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(Admin(HttpMethod.Get, "/api/insights/report?since=24h"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.SendAsync(Admin(HttpMethod.Get, "/api/insights/report?since=soon"))).StatusCode);
    }

    [Fact]
    public async Task The_report_shows_what_the_pipeline_recorded_grouped_with_votes_and_documents_never_cited()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), [$"--Web:AdminToken={Token}"]);
        var bot = host.Services.GetRequiredService<ICaseBot>();
        var recorder = host.Services.GetRequiredService<InsightRecorder>();
        var observers = host.Services.GetServices<IAnswerObserver>().ToList();
        Assert.Contains(recorder, observers); // the pipeline finds the store among the observers
        foreach (var (q, user) in new[] { ("What about the weather?", "u1"), ("what about the weather", "u2"), ("Palantir?", "u1") })
            recorder.OnAnswered(new AnsweredQuestion(new AskContext("slack", "C1", user), q, bot.Ask(q), TimeSpan.FromMilliseconds(3), DateTimeOffset.UtcNow));
        await recorder.FlushAsync().WaitAsync(Wait);
        await host.Services.GetRequiredService<IFeedbackSink>().VoteAsync(new VoteCast("slack", AnswerKey.For(bot.Ask("Palantir?")), "u9", VoteValue.Down));

        var report = JsonDocument.Parse(await (await host.Http.SendAsync(Admin(HttpMethod.Get, "/api/insights/report?since=7d"))).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(3, report.GetProperty("questions").GetInt32());
        var declined = Assert.Single(report.GetProperty("declined").EnumerateArray());
        Assert.Equal(2, declined.GetProperty("count").GetInt32());
        var down = Assert.Single(report.GetProperty("mostDownvoted").EnumerateArray());
        Assert.Equal("Palantir?", down.GetProperty("question").GetString());
        Assert.Equal("001", down.GetProperty("citations")[0].GetString());
        Assert.Equal("002", Assert.Single(report.GetProperty("neverCited").EnumerateArray()).GetProperty("docId").GetString());
        Assert.Equal("slack", report.GetProperty("platforms")[0].GetProperty("platform").GetString());
        var page = await host.Http.GetAsync("/report");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task After_an_alias_line_and_a_reindex_replay_lists_the_declined_question_now_answered()
    {
        await using var host = await RunningHost.StartAsync(settings: [$"--Web:AdminToken={Token}"]); // the real engine over a corpus copy
        var recorder = host.Services.GetRequiredService<InsightRecorder>();
        const string question = "Who is the Blighty and Europe head of Palantir?";
        // Declined when it was asked (by an older index). The MiniLM engine finds it by its other words with or
        // without the alias, so the decline is recorded as it happened rather than asked again here.
        recorder.OnAnswered(new AnsweredQuestion(new AskContext("discord", "c", "u"), question, Declined(question), TimeSpan.FromMilliseconds(2), DateTimeOffset.UtcNow));
        await recorder.FlushAsync().WaitAsync(Wait);

        await File.AppendAllTextAsync(Path.Combine(host.CorpusPath, "aliases.conf"), "\nBlighty = UK\n");
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(Admin(HttpMethod.Post, "/api/reindex")).WaitAsync(TimeSpan.FromSeconds(60))).StatusCode);

        var replay = JsonDocument.Parse(await (await host.Http.SendAsync(Admin(HttpMethod.Post, "/api/insights/replay?since=1d"))).Content.ReadAsStringAsync()).RootElement;
        var now = Assert.Single(replay.EnumerateArray());
        Assert.Equal(question, now.GetProperty("question").GetString());
        Assert.True(now.GetProperty("answered").GetBoolean());
        Assert.Contains("Louis Mosley", now.GetProperty("text").GetString());
        // Replaying records nothing: still the one declined question.
        await recorder.FlushAsync().WaitAsync(Wait);
        Assert.Single(await host.Services.GetRequiredService<IInsightStore>().QuestionsSinceAsync(DateTimeOffset.UnixEpoch));
    }

    internal static CaseBot.Core.Answering.Answer Declined(string question) => new()
    {
        Question = question,
        Answered = false,
        Text = "The case documents don't say.",
    };
}

/// <summary>Adding an alias line from the report: written to the corpus, reindexed, replayed.</summary>
public sealed class AliasEndpointTests
{
    private const string Token = "correct-horse-battery-staple-42";

    private static HttpRequestMessage Post(object body, string? bearer = Token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/insights/alias") { Content = JsonContent.Create(body) };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    [Fact]
    public async Task Adding_an_alias_from_the_report_reindexes_and_lists_the_declined_question_now_answered()
    {
        await using var host = await RunningHost.StartAsync(settings: [$"--Web:AdminToken={Token}"]);
        var bot = host.Services.GetRequiredService<ICaseBot>();
        var recorder = host.Services.GetRequiredService<InsightRecorder>();
        const string question = "Who is the Blighty and Europe head of Palantir?";
        // Declined when it was asked (by an older index): the replay is what is pinned.
        recorder.OnAnswered(new AnsweredQuestion(new AskContext("slack", "c", "u"), question, InsightsEndpointTests.Declined(question), TimeSpan.FromMilliseconds(2), DateTimeOffset.UtcNow));
        await recorder.FlushAsync();

        var response = await host.Http.SendAsync(Post(new { line = "Blighty = UK" })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("reindexed").GetBoolean());
        Assert.Equal(question, Assert.Single(body.GetProperty("replay").EnumerateArray()).GetProperty("question").GetString());
        Assert.EndsWith("\nBlighty = UK\n", await File.ReadAllTextAsync(Path.Combine(host.CorpusPath, "aliases.conf")));
        Assert.True(bot.Ask(question).Answered);
    }

    [Theory]
    [InlineData("Blighty")]
    [InlineData("Blighty = UK\nMet = Police")]
    [InlineData("Blighty = UK # sneaky")]
    [InlineData("")]
    public async Task A_line_that_is_not_one_alias_group_is_refused_and_nothing_is_written(string line)
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), [$"--Web:AdminToken={Token}"]);
        var before = await File.ReadAllTextAsync(Path.Combine(host.CorpusPath, "aliases.conf"));
        var response = await host.Http.SendAsync(Post(new { line }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(host.CorpusPath, "aliases.conf")));
    }

    [Fact]
    public async Task Adding_an_alias_needs_the_moderator_token()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), [$"--Web:AdminToken={Token}"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(Post(new { line = "Blighty = UK" }, bearer: null))).StatusCode);
    }
}

/// <summary>The insight and conversation settings are checked when serve starts.</summary>
public sealed class InsightsOptionsTests
{
    [Theory]
    [InlineData("--Insights:RetentionDays=0")]
    [InlineData("--Insights:ConnectionString=Host=x;Nonsense Key=1")]
    [InlineData("--Conversations:MaxTurns=0")]
    public async Task A_bad_insights_or_conversations_setting_stops_serve_with_exit_2(string setting)
    {
        var scratch = RepoPaths.NewTempFolder("casebot-insights-options");
        try
        {
            var code = await CaseBot.Web.ServeCommand.RunAsync(
                ["--Web:Urls=http://127.0.0.1:0", $"--CaseBot:CorpusPath={RepoPaths.Corpus}", $"--CaseBot:IndexPath={scratch}/index",
                 $"--Insights:DataPath={scratch}/data", "--Moderation:WatchCorpus=false", "--Logging:LogLevel:Default=None", setting])
                .WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, code);
        }
        finally
        {
            RepoPaths.DeleteQuietly(scratch);
        }
    }
}
