using System.Text;
using CaseBot.Adapters;

namespace CaseBot.Discord.Gateway;

/// <summary><see cref="IGatewayTransport"/> over the kit's <see cref="WebSocketText"/> (JSON encoding, no compression).</summary>
internal sealed class WebSocketGatewayTransport : IGatewayTransport
{
    /// <summary>Discord closes with 4002 on a payload over 4096 bytes: refuse to send one.</summary>
    public const int MaxSendBytes = 4096;
    private const int MaxReceiveBytes = 16 * 1024 * 1024;

    private WebSocketText? _socket;

    private WebSocketText Socket => _socket ?? throw new InvalidOperationException("Not connected.");

    public async Task ConnectAsync(Uri uri, CancellationToken ct) =>
        _socket = await WebSocketText.ConnectAsync(uri, MaxReceiveBytes, configure: null, ct).ConfigureAwait(false);

    public Task SendAsync(string json, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (bytes.Length > MaxSendBytes)
            throw new InvalidOperationException($"Gateway payload of {bytes.Length} bytes is over Discord's {MaxSendBytes}-byte limit.");
        return Socket.SendAsync(bytes, ct);
    }

    public Task<TextFrame> ReceiveAsync(CancellationToken ct) => Socket.ReceiveAsync(ct);

    public Task CloseAsync(int code, string reason) => _socket?.CloseAsync(code, reason) ?? Task.CompletedTask;

    public void Abort() => _socket?.Abort();

    public ValueTask DisposeAsync() => _socket?.DisposeAsync() ?? ValueTask.CompletedTask;
}

internal sealed class WebSocketGatewayTransportFactory : IGatewayTransportFactory
{
    public IGatewayTransport Create() => new WebSocketGatewayTransport();
}
