using System.Security.Cryptography;
using CaseBot.Core;
using CaseBot.Core.Feedback;
using CaseBot.Insights.Reporting;
using CaseBot.Insights.Storage;
using CaseBot.Web.Moderation;
using CaseBot.Web.Options;
using CaseBot.Web.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Insights;

/// <summary>The console's 👍/👎 vote.</summary>
public sealed record FeedbackRequest(string? Question, string? Text, string? Vote);

public sealed record FeedbackResponse(string AnswerKey, string Vote, int Up, int Down);

/// <summary>An alias line to add from the report, e.g. <c>Blighty = UK</c>.</summary>
public sealed record AliasRequest(string? Line, string? Since);

/// <summary>What adding the alias did: the reindex, and the declined questions answered now.</summary>
public sealed record AliasResponse(bool Reindexed, string Message, IReadOnlyList<ReplayedQuestion> Replay);

/// <summary>
/// Feedback and the moderator report: <c>POST /api/feedback</c> (anyone; one vote per browser per answer, by an
/// anonymous cookie id), <c>GET /api/insights/report</c> and <c>POST /api/insights/replay</c> (moderators: the
/// <c>Web__AdminToken</c> bearer token, like <c>POST /api/reindex</c>), and the <c>/report</c> page.
/// </summary>
public static class InsightsEndpoints
{
    public const string UserCookie = "casebot_uid";
    private const int MaxAnswerLength = 20_000;

    public static IEndpointRouteBuilder MapInsightsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/feedback", Vote);
        app.MapGet("/api/insights/report", Report);
        app.MapPost("/api/insights/replay", ReplayDeclined);
        app.MapPost("/api/insights/alias", AddAlias);
        app.MapGet("/report", () => ConsolePages.Serve("report.html"));
        return app;
    }

    private static async Task<IResult> Vote(FeedbackRequest? body, HttpContext http, IFeedbackSink sink, IOptions<WebOptions> web, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Question) || body.Text is null)
            return TypedResults.BadRequest(new ErrorDto("Send the answer's question and text, and vote: up, down or none."));
        if (body.Question.Length > web.Value.MaxQuestionLength || body.Text.Length > MaxAnswerLength)
            return TypedResults.BadRequest(new ErrorDto("That is not an answer CaseBot gave."));
        VoteValue? value = body.Vote?.Trim().ToLowerInvariant() switch
        {
            "up" => VoteValue.Up,
            "down" => VoteValue.Down,
            "none" => VoteValue.None,
            _ => null,
        };
        if (value is null) return TypedResults.BadRequest(new ErrorDto("vote must be up, down or none."));

        var user = http.Request.Cookies[UserCookie];
        if (user is null || user.Length != 32 || !user.All(char.IsAsciiHexDigitLower))
        {
            user = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            http.Response.Cookies.Append(UserCookie, user, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                Path = "/",
                IsEssential = true,
            });
        }
        var outcome = await sink.VoteAsync(new VoteCast("web", AnswerKey.For(body.Question, body.Text), user, value.Value), ct);
        return TypedResults.Ok(new FeedbackResponse(outcome.AnswerKey, value.Value.ToString().ToLowerInvariant(), outcome.Up, outcome.Down));
    }

    private static async Task<IResult> Report(string? since, HttpContext http, IInsightStore store, ICaseBot bot, IOptions<WebOptions> web,
        TimeProvider time, CancellationToken ct)
    {
        if (Refuse(http, web.Value) is { } refused) return refused;
        if (!ReportBuilder.TryParseWindow(since ?? "7d", out var window))
            return TypedResults.BadRequest(new ErrorDto($"since '{since}' is not a duration such as 7d, 24h or 2w."));
        return TypedResults.Ok(await ReportBuilder.BuildAsync(store, bot.Documents, window, time, ct));
    }

    /// <summary>The declined questions of the window asked again of the live index: nothing goes to chat, nothing is recorded.</summary>
    private static async Task<IResult> ReplayDeclined(string? since, HttpContext http, IInsightStore store, ICaseBot bot,
        IOptions<WebOptions> web, TimeProvider time, CancellationToken ct)
    {
        if (Refuse(http, web.Value) is { } refused) return refused;
        if (!ReportBuilder.TryParseWindow(since ?? "30d", out var window))
            return TypedResults.BadRequest(new ErrorDto($"since '{since}' is not a duration such as 7d, 24h or 2w."));
        var questions = await store.QuestionsSinceAsync(time.GetUtcNow() - window, ct);
        return TypedResults.Ok(Replay.Run(bot, questions));
    }

    private static readonly SemaphoreSlim AliasFileLock = new(1, 1);

    /// <summary>
    /// Appends one alias line to the corpus's <c>aliases.conf</c>, reindexes, and replays the window's declined
    /// questions against the new index: the report's "add the missing alias, see what it fixes" loop.
    /// </summary>
    private static async Task<IResult> AddAlias(AliasRequest? body, HttpContext http, IInsightStore store, ICaseBot bot,
        CorpusLocation corpus, IOptions<WebOptions> web, TimeProvider time, CancellationToken ct)
    {
        if (Refuse(http, web.Value) is { } refused) return refused;
        var line = body?.Line?.Trim() ?? "";
        if (line.Length is 0 or > 300 || line.IndexOfAny(['\r', '\n', '#']) >= 0 || Core.Indexing.Aliases.Parse([line]).Groups.Count != 1)
            return TypedResults.BadRequest(new ErrorDto("An alias line names the same thing two or more ways, separated by '=', e.g. \"Blighty = UK\" (one line, no '#', at most 300 characters)."));
        if (!ReportBuilder.TryParseWindow(body?.Since ?? "30d", out var window))
            return TypedResults.BadRequest(new ErrorDto($"since '{body?.Since}' is not a duration such as 7d, 24h or 2w."));

        var path = Path.Combine(corpus.FullPath, Core.Indexing.Aliases.FileName);
        await AliasFileLock.WaitAsync(ct);
        try
        {
            var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : "";
            var separator = existing.Length == 0 || existing.EndsWith('\n') ? "" : "\n";
            await File.AppendAllTextAsync(path, $"{separator}# added from the moderator report, {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC\n{line}\n", ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return TypedResults.Json(new ErrorDto($"Could not write {Core.Indexing.Aliases.FileName} in the corpus folder: {e.Message}"), statusCode: 500);
        }
        finally
        {
            AliasFileLock.Release();
        }
        var result = await bot.ReindexAsync($"moderator report ({http.Connection.RemoteIpAddress}): alias {line}", ct);
        var questions = await store.QuestionsSinceAsync(time.GetUtcNow() - window, ct);
        return TypedResults.Json(new AliasResponse(result.Succeeded, result.Message, result.Succeeded ? Replay.Run(bot, questions) : []),
            statusCode: result.Succeeded ? 200 : 500);
    }

    /// <summary>Moderator check, as for <c>POST /api/reindex</c>: 403 with no token configured, 401 for a wrong one.</summary>
    private static IResult? Refuse(HttpContext http, WebOptions web)
    {
        if (string.IsNullOrWhiteSpace(web.AdminToken))
            return TypedResults.Json(new ErrorDto("The report is off: the operator has not set Web__AdminToken."), statusCode: 403);
        var presented = AdminToken.FromHeaders(http.Request.Headers.Authorization, http.Request.Headers["X-Admin-Token"]);
        if (AdminToken.Matches(web.AdminToken, presented)) return null;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Json(new ErrorDto("Wrong or missing moderator token."), statusCode: 401);
    }
}
