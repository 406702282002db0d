using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Feedback;
using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Web.Moderation;
using CaseBot.Web.Hosting;
using CaseBot.Web.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.WebConsole;

/// <summary>The console's JSON API: ask, documents, status, reindex.</summary>
public static class ConsoleEndpoints
{
    public const string Platform = "web";

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/ask", Ask);
        api.MapGet("/docs", (ICaseBot bot) => TypedResults.Ok(bot.Documents.Select(d =>
            new DocSummaryDto(d.Id, d.Title, d.FileName, d.Characters, DocUrl(d.Id, null))).ToList()));
        api.MapGet("/docs/{id}", GetDoc);
        api.MapGet("/status", (ICaseBot bot, IEnumerable<IChatAdapter> adapters, IOptions<WebOptions> web) =>
            TypedResults.Ok(Status(bot, adapters, web.Value)));
        api.MapPost("/reindex", Reindex);
        api.MapGet("/profile", (IOptions<BotProfileOptions> profile) =>
            TypedResults.Ok(new ProfileDto(profile.Value.Name, profile.Value.Description, profile.Value.ExampleQuestion)));
        return app;
    }

    internal static string DocUrl(string id, string? quote) =>
        "/docs/" + Uri.EscapeDataString(id) + (string.IsNullOrEmpty(quote) ? "" : "#q=" + Uri.EscapeDataString(quote));

    private static async Task<IResult> Ask(string? q, HttpContext http, ICaseBot bot, QuestionPipeline pipeline,
        IOptions<WebOptions> web, IOptions<BotProfileOptions> profile, IHostApplicationLifetime lifetime)
    {
        // SIGTERM: questions already running finish; new ones are turned away.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return TypedResults.Json(new ErrorDto("CaseBot is shutting down; ask again in a moment."), statusCode: 503);
        var question = q ?? "";
        if (question.Length > web.Value.MaxQuestionLength)
            return TypedResults.BadRequest(new ErrorDto($"Questions are limited to {web.Value.MaxQuestionLength} characters."));

        // Behind a reverse proxy every visitor shares the proxy's address; the limit then applies to all together.
        var user = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var result = await pipeline.AskAsync(question, new AskContext(Platform, null, user), http.RequestAborted);
        if (result.Outcome == QuestionOutcome.Refused)
        {
            var seconds = (int)Math.Ceiling(result.Gate.RetryAfter.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Json(new RefusalDto(result.Refusal ?? "Not now.", result.Gate.Reason ?? "refused", seconds), statusCode: 429);
        }
        var answer = result.Answer
                     ?? new Answer { Question = question, Answered = false, Text = profile.Value.UsageText, IsUsageError = true };
        return TypedResults.Ok(ToDto(answer, bot));
    }

    internal static AnswerDto ToDto(Answer a, ICaseBot bot)
    {
        DocRefDto? closest = null;
        if (!a.Answered && a.ClosestDocId is { } closestId && bot.FindDocument(closestId) is { } doc)
            closest = new DocRefDto(doc.Id, doc.Title, DocUrl(doc.Id, null));
        return new AnswerDto(a.Question, a.Answered, a.Text, a.Short, a.IsUsageError, a.Milliseconds,
            a.Citations.Select(c => new CitationDto(c.DocId, c.Title, c.Quote, DocUrl(c.DocId, c.Quote))).ToList(), closest,
            a.Explanation is null ? null : WhyText.For(a));
    }

    private static IResult GetDoc(string id, string? quote, ICaseBot bot)
    {
        var doc = bot.FindDocument(id);
        if (doc is null) return TypedResults.NotFound(new ErrorDto($"There is no document '{id}'."));
        var span = QuoteLocator.Find(doc.Text, quote);
        return TypedResults.Ok(new DocDto(doc.Id, doc.Title, doc.FileName, doc.Characters, doc.Text,
            span is { } s ? new HighlightDto(s.Start, s.Length) : null));
    }

    internal static StatusDto Status(ICaseBot bot, IEnumerable<IChatAdapter> adapters, WebOptions web)
    {
        var adapterList = adapters.Select(a => new AdapterDto(a.Platform, a.IsConnected)).ToList();
        var last = (bot as AuditedCaseBot)?.LastReindex;
        var lastDto = last is null ? null : new ReindexDto(last.Result.Succeeded, last.Result.Documents, last.Result.Passages,
            last.Result.Seconds, last.Result.Message, last.Result.RequestedBy, last.StartedAt, last.FinishedAt);
        var index = Health.TryStatus(bot);
        return new StatusDto(Health.IsReady(bot, adapterList), index?.BuiltAt, index?.CorpusFingerprint,
            index?.Documents ?? 0, index?.Passages ?? 0, web.ReindexEnabled, lastDto, adapterList, index?.Skipped ?? []);
    }

    private static async Task<IResult> Reindex(HttpContext http, ICaseBot bot, IOptions<WebOptions> web, CancellationToken ct)
    {
        var configured = web.Value.AdminToken;
        if (string.IsNullOrWhiteSpace(configured))
            return TypedResults.Json(new ErrorDto("Reindexing from the web is off: the operator has not set Web__AdminToken."), statusCode: 403);
        var presented = AdminToken.FromHeaders(http.Request.Headers.Authorization, http.Request.Headers["X-Admin-Token"]);
        if (!AdminToken.Matches(configured, presented))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Json(new ErrorDto("Wrong or missing moderator token."), statusCode: 401);
        }
        var who = $"web console ({http.Connection.RemoteIpAddress})";
        var result = await bot.ReindexAsync(who, ct);
        var last = (bot as AuditedCaseBot)?.LastReindex;
        return TypedResults.Json(new ReindexDto(result.Succeeded, result.Documents, result.Passages, result.Seconds, result.Message,
            result.RequestedBy, last?.StartedAt, last?.FinishedAt), statusCode: result.Succeeded ? 200 : 500);
    }
}
