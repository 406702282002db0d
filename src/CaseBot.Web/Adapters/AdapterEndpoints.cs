using CaseBot.Discord.Interactions;
using CaseBot.Slack.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Web.Adapters;

/// <summary>
/// HTTP entry points of the chat platforms, for deployments that receive events over HTTP instead of (or besides)
/// the Discord gateway / Slack Socket Mode. The handlers verify a signature over the raw body, so the body is read
/// as bytes (never model-bound) and the handler's status, content type and body are copied back unchanged. A route
/// exists only when its adapter is configured and registered its handler.
/// </summary>
public static class AdapterEndpoints
{
    public static IEndpointRouteBuilder MapAdapterEndpoints(this IEndpointRouteBuilder app)
    {
        // POST /discord/interactions: Discord's HTTP interactions, Ed25519-verified (401 on a bad signature).
        if (app.ServiceProvider.GetService<IDiscordInteractionEndpoint>() is { Enabled: true } discord)
            app.MapPost("/discord/interactions", async (HttpRequest req, CancellationToken ct) =>
            {
                var body = await ReadBodyAsync(req, ct);
                var r = await discord.HandleAsync(req.Headers[IDiscordInteractionEndpoint.SignatureHeader],
                    req.Headers[IDiscordInteractionEndpoint.TimestampHeader], body, ct);
                return Results.Text(r.Body, r.ContentType, statusCode: r.StatusCode);
            });

        if (app.ServiceProvider.GetService<ISlackHttpEndpoint>() is { } slack)
        {
            // One handler serves both the Events API and slash commands; the Slack app may point at either path.
            async Task<IResult> Handle(HttpRequest req, CancellationToken ct)
            {
                var body = await ReadBodyAsync(req, ct);
                var r = slack.Handle(req.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body.Span);
                return Results.Text(r.Body, r.ContentType, statusCode: r.Status);
            }
            app.MapPost("/slack/events", Handle);
            app.MapPost("/slack/commands", Handle);
        }
        return app;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest req, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        await req.Body.CopyToAsync(copy, ct); // bounded by Kestrel's MaxRequestBodySize (1 MB, see ServeHost)
        return copy.ToArray();
    }
}
