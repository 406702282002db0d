using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>Rate limiting and reindexing as the web console sees them.</summary>
public sealed class ModerationEndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private const string Token = "correct-horse-battery-staple-42";

    private static HttpRequestMessage ReindexRequest(string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reindex");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    [Fact]
    public async Task Reindex_is_refused_when_no_admin_token_is_configured()
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot);
        var response = await host.Http.SendAsync(ReindexRequest("anything-at-all-long-enough")).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Web__AdminToken", await response.Content.ReadAsStringAsync());
        Assert.Empty(bot.Reindexes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("correct-horse-battery-staple-4")]
    [InlineData("correct-horse-battery-staple-42x")]
    [InlineData("CORRECT-HORSE-BATTERY-STAPLE-42")]
    public async Task Reindex_is_refused_with_a_wrong_or_missing_token(string? presented)
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot, [$"--Web:AdminToken={Token}"]);
        var request = ReindexRequest(null);
        if (presented is not null) request.Headers.TryAddWithoutValidation("X-Admin-Token", presented);
        var response = await host.Http.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
        Assert.Empty(bot.Reindexes);
    }

    [Fact]
    public async Task Reindex_with_the_token_runs_and_is_shown_in_status()
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot, [$"--Web:AdminToken={Token}"]);
        var response = await host.Http.SendAsync(ReindexRequest(Token)).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var who = Assert.Single(bot.Reindexes);
        Assert.Equal("web console (127.0.0.1)", who);

        var status = JsonDocument.Parse(await host.Http.GetStringAsync("/api/status").WaitAsync(Wait)).RootElement;
        Assert.True(status.GetProperty("reindexFromWeb").GetBoolean());
        var last = status.GetProperty("lastReindex");
        Assert.True(last.GetProperty("succeeded").GetBoolean());
        Assert.Equal("web console (127.0.0.1)", last.GetProperty("requestedBy").GetString());
        var metrics = await host.Http.GetStringAsync("/metrics").WaitAsync(Wait);
        Assert.DoesNotContain(Token, metrics);
    }

    [Fact]
    public async Task A_failed_reindex_is_reported_as_an_error_with_the_reason()
    {
        var bot = new FakeCaseBot { FailReindex = true };
        await using var host = await RunningHost.StartAsync(bot, [$"--Web:AdminToken={Token}"]);
        var response = await host.Http.SendAsync(ReindexRequest(Token)).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("previous index keeps answering", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Web_questions_beyond_the_rate_limit_get_429_with_retry_after()
    {
        var bot = new FakeCaseBot();
        await using var host = await RunningHost.StartAsync(bot, ["--Moderation:QuestionsPerUser=2", "--Moderation:WindowSeconds=600"]);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/ask?q=Palantir").WaitAsync(Wait)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/ask?q=Palantir").WaitAsync(Wait)).StatusCode);
        var third = await host.Http.GetAsync("/api/ask?q=Palantir").WaitAsync(Wait);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var retry = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value.TotalSeconds, 1, 600);
        Assert.Contains("please wait", JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement.GetProperty("refusal").GetString());
        Assert.Equal(2, bot.Asks);
        Assert.Contains("casebot_questions_refused_total{platform=\"web\",reason=\"rate_limit\"} 1",
            await host.Http.GetStringAsync("/metrics").WaitAsync(Wait));
    }
}
