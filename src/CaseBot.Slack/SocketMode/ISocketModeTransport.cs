namespace CaseBot.Slack.SocketMode;

/// <summary>Opens WebSocket links; the seam that lets tests swap the wire for an in-memory one.</summary>
internal interface ISocketModeTransport
{
    Task<ISocketModeLink> ConnectAsync(Uri url, CancellationToken ct);
}

/// <summary>One WebSocket connection, text frames only. One reader; sends may come from any thread.</summary>
internal interface ISocketModeLink : IAsyncDisposable
{
    /// <summary>The next text message, or null once the peer has closed the socket. Throws when the socket drops.</summary>
    Task<string?> ReceiveAsync(CancellationToken ct);

    Task SendAsync(string text, CancellationToken ct);

    /// <summary>Sends a close frame (giving up after a short while; never throws). The peer's close then ends
    /// <see cref="ReceiveAsync"/>; disposing aborts whatever is left.</summary>
    Task CloseAsync();
}
