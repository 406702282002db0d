using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Core.Indexing;
using CaseBot.Web.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CaseBot.Web.Hosting;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (index loaded, every configured adapter connected).</summary>
public static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok\n"));
        app.MapGet("/readyz", (ICaseBot bot, IEnumerable<IChatAdapter> adapters) =>
        {
            var list = adapters.Select(a => new AdapterDto(a.Platform, a.IsConnected)).ToList();
            var index = TryStatus(bot);
            var body = new { ready = IsReady(bot, list), indexLoaded = index is { Documents: > 0 }, documents = index?.Documents ?? 0, adapters = list };
            return TypedResults.Json(body, statusCode: body.ready ? 200 : 503);
        });
        return app;
    }

    internal static bool IsReady(ICaseBot bot, IReadOnlyList<AdapterDto> adapters) =>
        TryStatus(bot) is { Documents: > 0 } && adapters.All(a => a.Connected);

    /// <summary>The index status, or null while there is none (an engine may throw before its first load).</summary>
    internal static IndexStatus? TryStatus(ICaseBot bot)
    {
        try { return bot.Status; }
        catch (Exception ex) when (ex is InvalidOperationException or IOException) { return null; }
    }
}
