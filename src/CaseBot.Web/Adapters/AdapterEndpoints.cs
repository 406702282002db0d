using Microsoft.AspNetCore.Routing;

namespace CaseBot.Web.Adapters;

/// <summary>
/// HTTP entry points of the chat platforms, for deployments that receive events over HTTP instead of (or besides)
/// the Discord gateway / Slack Socket Mode.
/// </summary>
public static class AdapterEndpoints
{
    public static IEndpointRouteBuilder MapAdapterEndpoints(this IEndpointRouteBuilder app)
    {
        // ── MOUNT POINT: platform HTTP handlers ─────────────────────────────────────────────────────────────
        // POST /discord/interactions → the Discord adapter's Ed25519-verifying interactions handler.
        // POST /slack/events         → the Slack adapter's signed Events API handler, (headers, body) → response.
        // Both need the RAW request body (signatures are over the exact bytes): read it with
        // `await new StreamReader(http.Request.Body).ReadToEndAsync()` — never model-bind — and map the handler's
        // response (status, content type, body) back onto HttpResponse. Map a route only when the adapter
        // registered its handler in DI, e.g.
        //   if (app.ServiceProvider.GetService<DiscordInteractionsHandler>() is { } discord)
        //       app.MapPost("/discord/interactions", async (HttpRequest req) => …discord.HandleAsync(headers, body)…);
        // The handler classes live on the `discord` / `slack` branches; wire them here after merging.
        return app;
    }
}
