using System.Net.WebSockets;
using CaseBot.Adapters;
using CaseBot.Slack.Options;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.SocketMode;

/// <summary>
/// The kit's <see cref="WebSocketText"/> with ping/pong keep-alive: a ping every <c>PingInterval</c>, and the socket
/// is aborted when no pong comes within <c>PongTimeout</c> — that is how a quiet link is noticed, since Slack sends
/// no application-level heartbeat.
/// </summary>
internal sealed class ClientWebSocketTransport(IOptions<SlackOptions> options) : ISocketModeTransport
{
    /// <summary>Envelopes are small; anything far larger is not from Slack.</summary>
    internal const int MaxMessageBytes = 4 * 1024 * 1024;

    public async Task<ISocketModeLink> ConnectAsync(Uri url, CancellationToken ct) =>
        new Link(await WebSocketText.ConnectAsync(url, MaxMessageBytes, o => ConfigureKeepAlive(o, options.Value), ct));

    internal static void ConfigureKeepAlive(ClientWebSocketOptions o, SlackOptions slack)
    {
        o.KeepAliveInterval = slack.PingInterval;
        o.KeepAliveTimeout = slack.PongTimeout;
    }

    private sealed class Link(WebSocketText ws) : ISocketModeLink
    {
        public async Task<string?> ReceiveAsync(CancellationToken ct)
        {
            var frame = await ws.ReceiveAsync(ct);
            return frame.IsClose ? null : frame.Text;
        }

        public Task SendAsync(string text, CancellationToken ct) => ws.SendAsync(text, ct);

        // Slack may not finish the close handshake promptly; the kit gives up after a moment, so a reconnect is not held up.
        public Task CloseAsync() => ws.CloseAsync((int)WebSocketCloseStatus.NormalClosure, "reconnecting");

        public ValueTask DisposeAsync() => ws.DisposeAsync();
    }
}
