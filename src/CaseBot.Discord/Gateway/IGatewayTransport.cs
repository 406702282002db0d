using CaseBot.Adapters;

namespace CaseBot.Discord.Gateway;

/// <summary>One gateway connection's wire: text frames in and out, and how it closed. Abstracted so the
/// client's protocol logic does not care whether it talks to Discord or to a test server.</summary>
internal interface IGatewayTransport : IAsyncDisposable
{
    Task ConnectAsync(Uri uri, CancellationToken ct);

    /// <summary>Sends one text frame. Safe to call from the heartbeat loop and the read loop at once.</summary>
    Task SendAsync(string json, CancellationToken ct);

    /// <summary>The next whole text frame, or the close the server sent. Throws when the socket drops.</summary>
    Task<TextFrame> ReceiveAsync(CancellationToken ct);

    /// <summary>Best-effort close handshake with <paramref name="code"/>; never waits long.</summary>
    Task CloseAsync(int code, string reason);

    /// <summary>Drops the connection at once; a pending receive fails.</summary>
    void Abort();
}

internal interface IGatewayTransportFactory
{
    IGatewayTransport Create();
}
