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
        // POST /discord/interactions → CaseBot.Discord.Interactions.DiscordInteractionEndpoint (Ed25519-verified)
        // POST /slack/events, /slack/commands → CaseBot.Slack.Http.SlackHttpHandler (signed Events API / commands)
        // Those classes live on the `discord` / `slack` branches. After merging them, replace this comment with
        // the code below (it was compiled and run against both branches merged in a scratch tree: bad signatures
        // get 401 on both routes) and add `using CaseBot.Discord.Interactions; using CaseBot.Slack.Http;
        // using Microsoft.AspNetCore.Builder; using Microsoft.AspNetCore.Http; using Microsoft.Extensions.DependencyInjection;`.
        // Both handlers verify a signature over the RAW body: read bytes, never model-bind, copy the response back.
        //
        // if (app.ServiceProvider.GetService<DiscordInteractionEndpoint>() is { Enabled: true } discord)
        //     app.MapPost("/discord/interactions", async (HttpRequest req, CancellationToken ct) =>
        //     {
        //         var body = await ReadBodyAsync(req, ct);
        //         var r = await discord.HandleAsync(req.Headers[DiscordInteractionEndpoint.SignatureHeader],
        //             req.Headers[DiscordInteractionEndpoint.TimestampHeader], body, ct);
        //         return Results.Text(r.Body, r.ContentType, statusCode: r.StatusCode);
        //     });
        //
        // if (app.ServiceProvider.GetService<SlackHttpHandler>() is { } slack)
        // {
        //     // One handler serves both the Events API and slash commands; Slack may be pointed at either path.
        //     async Task<IResult> Handle(HttpRequest req, CancellationToken ct)
        //     {
        //         var body = await ReadBodyAsync(req, ct);
        //         var r = slack.Handle(req.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body.Span);
        //         return Results.Text(r.Body, r.ContentType, statusCode: r.Status);
        //     }
        //     app.MapPost("/slack/events", Handle);
        //     app.MapPost("/slack/commands", Handle);
        // }
        //
        // (class-level helper)
        // private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest req, CancellationToken ct)
        // {
        //     using var copy = new MemoryStream();
        //     await req.Body.CopyToAsync(copy, ct); // bounded by Kestrel's MaxRequestBodySize (1 MB, ServeHost)
        //     return copy.ToArray();
        // }
        return app;
    }
}
