using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using CaseBot.Slack.Options;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.SocketMode;

/// <summary>
/// <see cref="ClientWebSocket"/> with ping/pong keep-alive: a ping every <c>PingInterval</c>, and the socket is
/// aborted when no pong comes within <c>PongTimeout</c> — that is how a quiet link is noticed, since Slack sends
/// no application-level heartbeat.
/// </summary>
internal sealed class ClientWebSocketTransport(IOptions<SlackOptions> options) : ISocketModeTransport
{
    /// <summary>Envelopes are small; anything far larger is not from Slack.</summary>
    internal const int MaxMessageBytes = 4 * 1024 * 1024;

    public async Task<ISocketModeLink> ConnectAsync(Uri url, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        ConfigureKeepAlive(ws.Options, options.Value);
        try
        {
            await ws.ConnectAsync(url, ct);
            return new Link(ws);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    internal static void ConfigureKeepAlive(ClientWebSocketOptions o, SlackOptions slack)
    {
        o.KeepAliveInterval = slack.PingInterval;
        o.KeepAliveTimeout = slack.PongTimeout;
    }

    private sealed class Link(ClientWebSocket ws) : ISocketModeLink
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public async Task<string?> ReceiveAsync(CancellationToken ct)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                using var message = new MemoryStream();
                while (true)
                {
                    var r = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                    if (r.MessageType == WebSocketMessageType.Close) return null;
                    message.Write(buffer, 0, r.Count);
                    if (message.Length > MaxMessageBytes)
                        throw new WebSocketException(WebSocketError.Faulted, "Slack frame larger than 4 MB");
                    if (!r.EndOfMessage) continue;
                    if (r.MessageType != WebSocketMessageType.Text)
                    {
                        message.SetLength(0);
                        continue; // Socket Mode speaks text only; ignore stray binary frames.
                    }
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public async Task SendAsync(string text, CancellationToken ct)
        {
            await _sendLock.WaitAsync(ct);
            try
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task CloseAsync()
        {
            try
            {
                if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    // Slack may not finish the close handshake promptly; do not let it hold up a reconnect.
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", cts.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public ValueTask DisposeAsync()
        {
            ws.Abort();
            ws.Dispose();
            _sendLock.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
