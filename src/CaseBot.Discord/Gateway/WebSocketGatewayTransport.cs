using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace CaseBot.Discord.Gateway;

/// <summary><see cref="IGatewayTransport"/> over <see cref="ClientWebSocket"/> (JSON encoding, no compression).</summary>
internal sealed class WebSocketGatewayTransport : IGatewayTransport
{
    /// <summary>Discord closes with 4002 on a payload over 4096 bytes: refuse to send one.</summary>
    public const int MaxSendBytes = 4096;
    private const int MaxReceiveBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public Task ConnectAsync(Uri uri, CancellationToken ct) => _socket.ConnectAsync(uri, ct);

    public async Task SendAsync(string json, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (bytes.Length > MaxSendBytes)
            throw new InvalidOperationException($"Gateway payload of {bytes.Length} bytes is over Discord's {MaxSendBytes}-byte limit.");
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var frame = GatewayFrame.Closed((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
                    await CloseAsync((int)(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "").ConfigureAwait(false); // echo, per RFC 6455
                    return frame;
                }
                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxReceiveBytes)
                    throw new WebSocketException(WebSocketError.Faulted, "Gateway frame over 16 MB.");
                if (result.EndOfMessage)
                    return GatewayFrame.Message(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

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

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal sealed class WebSocketGatewayTransportFactory : IGatewayTransportFactory
{
    public IGatewayTransport Create() => new WebSocketGatewayTransport();
}
