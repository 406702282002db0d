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
        // ── MOUNT POINT: platform HTTP handlers (wire after merging the `discord` and `slack` branches) ──────────
        // Both handlers verify a signature over the RAW body: read the bytes, never model-bind, and copy the
        // handler's status / content type / body back unchanged. Mount a route only when its adapter registered
        // the handler (AddDiscordAdapter / AddSlackAdapter return false and register nothing otherwise):
        //
        // if (app.ServiceProvider.GetService<CaseBot.Discord.Interactions.DiscordInteractionEndpoint>() is { Enabled: true } discord)
        //     app.MapPost("/discord/interactions", async (HttpRequest req, CancellationToken ct) =>
        //     {
        //         var body = await ReadBodyAsync(req, ct);
        //         var r = await discord.HandleAsync(req.Headers[DiscordInteractionEndpoint.SignatureHeader],
        //             req.Headers[DiscordInteractionEndpoint.TimestampHeader], body, ct);
        //         return Results.Text(r.Body, r.ContentType, statusCode: r.StatusCode);
        //     });
        //
        // if (app.ServiceProvider.GetService<CaseBot.Slack.Http.SlackHttpHandler>() is { } slack)
        //     app.MapPost("/slack/events", async (HttpRequest req, CancellationToken ct) =>   // also /slack/commands
        //     {
        //         var body = await ReadBodyAsync(req, ct);
        //         var r = slack.Handle(req.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body.Span);
        //         return Results.Text(r.Body, r.ContentType, statusCode: r.Status);
        //     });
        //
        // static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest req, CancellationToken ct)
        // {
        //     using var copy = new MemoryStream();
        //     await req.Body.CopyToAsync(copy, ct);   // Kestrel's MaxRequestBodySize (1 MB, ServeHost) bounds this
        //     return copy.ToArray();
        // }
        return app;
    }
}
