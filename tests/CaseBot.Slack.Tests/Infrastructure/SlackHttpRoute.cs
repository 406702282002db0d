using System.Security.Cryptography;
using System.Text;
using CaseBot.Slack.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>
/// The adapter's <see cref="ISlackHttpEndpoint"/> behind a real HTTP route on loopback Kestrel, mounted the way
/// <c>CaseBot.Web</c>'s <c>AdapterEndpoints</c> mounts it (<c>POST /slack/events</c>: the raw body read as bytes, every
/// header passed, the handler's status, content type and body copied back), so Slack's side can POST signed requests
/// over the wire. The Slack tests do not reference the web host, hence this copy of its few lines.
/// </summary>
internal sealed class SlackHttpRoute : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SlackHttpRoute(WebApplication app, Uri events)
    {
        _app = app;
        EventsUrl = events;
    }

    public Uri EventsUrl { get; }

    public static async Task<SlackHttpRoute> StartAsync(ISlackHttpEndpoint slack)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/slack/events", async (HttpRequest req, CancellationToken ct) =>
        {
            using var copy = new MemoryStream();
            await req.Body.CopyToAsync(copy, ct);
            var r = slack.Handle(req.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), copy.ToArray());
            return Results.Text(r.Body, r.ContentType, statusCode: r.Status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SlackHttpRoute(app, new Uri(address + "/slack/events"));
    }

    /// <summary>A request as Slack sends it: JSON body, <c>X-Slack-Request-Timestamp</c> of <paramref name="now"/>,
    /// <c>X-Slack-Signature</c> over it with <paramref name="secret"/>, and the retry headers on a redelivery.</summary>
    public HttpRequestMessage Signed(string body, string secret, DateTimeOffset now, int? retryNum = null, string? retryReason = null)
    {
        var ts = now.ToUnixTimeSeconds().ToString();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{ts}:{body}"));
        var request = new HttpRequestMessage(HttpMethod.Post, EventsUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(mac));
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString());
            request.Headers.Add("X-Slack-Retry-Reason", retryReason ?? "http_timeout");
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
