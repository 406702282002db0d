using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace CaseBot.Adapters;

/// <summary>A whole received text message (<see cref="Text"/> set) or the close the peer sent (<see cref="CloseCode"/>,
/// null when none was given).</summary>
public readonly record struct TextFrame(string? Text, bool IsClose, int? CloseCode, string? CloseReason)
{
    public static TextFrame Message(string text) => new(text, false, null, null);
    public static TextFrame Closed(int? code, string? reason) => new(null, true, code, reason);
}

/// <summary>
/// One WebSocket speaking text messages, as both chat platforms use it: the one receive loop (whole messages
/// reassembled from fragments, a size cap, stray binary frames skipped, the peer's close echoed), sends serialised
/// from any thread, and a real close frame on the way out that never waits long.
/// </summary>
public sealed class WebSocketText : IAsyncDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly int _maxMessageBytes;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public WebSocketText(WebSocket socket, int maxMessageBytes)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
    }

    public WebSocketState State => _socket.State;

    /// <summary>Connects a <see cref="ClientWebSocket"/> (configured by <paramref name="configure"/>) to <paramref name="uri"/>.</summary>
    public static async Task<WebSocketText> ConnectAsync(Uri uri, int maxMessageBytes, Action<ClientWebSocketOptions>? configure,
        CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        configure?.Invoke(ws.Options);
        try
        {
            await ws.ConnectAsync(uri, ct).ConfigureAwait(false);
            return new WebSocketText(ws, maxMessageBytes);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    /// <summary>The next whole text message, or the close the peer sent (echoed back, per RFC 6455). Throws when the
    /// socket drops or a message is over the size cap.</summary>
    public async Task<TextFrame> ReceiveAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    var frame = TextFrame.Closed((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
                    await CloseAsync((int)(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "").ConfigureAwait(false);
                    return frame;
                }
                message.Write(buffer, 0, r.Count);
                if (message.Length > _maxMessageBytes)
                    throw new WebSocketException(WebSocketError.Faulted, $"WebSocket message over {_maxMessageBytes} bytes.");
                if (!r.EndOfMessage) continue;
                if (r.MessageType != WebSocketMessageType.Text)
                {
                    message.SetLength(0);
                    continue; // both platforms speak text (JSON) only: skip stray binary messages
                }
                return TextFrame.Message(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends one text message. Safe from several threads at once (a heartbeat loop and a read loop).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendAsync(string text, CancellationToken ct) => SendAsync(Encoding.UTF8.GetBytes(text), ct);

    /// <summary>Sends a close frame with <paramref name="code"/>, giving up after a short while; never throws. The
    /// peer's close then ends <see cref="ReceiveAsync"/>; disposing aborts whatever is left.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var cts = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing a dead connection: nothing to tell anyone.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the connection at once; a pending receive fails.</summary>
    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
