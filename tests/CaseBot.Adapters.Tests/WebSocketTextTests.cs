using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace CaseBot.Adapters.Tests;

/// <summary><see cref="WebSocketText"/> against a real WebSocket peer over loopback TCP.</summary>
public sealed class WebSocketTextTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private WebSocket _peer = null!;
    private WebSocketText _text = null!;
    private TcpClient _client = null!;
    private TcpClient _server = null!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await _client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _server = await accept;
        listener.Stop();
        _peer = WebSocket.CreateFromStream(_server.GetStream(), new WebSocketCreationOptions { IsServer = true });
        _text = new WebSocketText(WebSocket.CreateFromStream(_client.GetStream(), new WebSocketCreationOptions { IsServer = false }),
            maxMessageBytes: 64 * 1024);
    }

    public async Task DisposeAsync()
    {
        await _text.DisposeAsync();
        _peer.Dispose();
        _client.Dispose();
        _server.Dispose();
    }

    private Task PeerSends(string text, bool end = true) =>
        _peer.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, end, CancellationToken.None);

    [Fact]
    public async Task A_fragmented_text_message_arrives_whole_and_binary_messages_are_skipped()
    {
        await _peer.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await PeerSends("{\"op\":", end: false);
        await PeerSends("10}");

        var frame = await _text.ReceiveAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.False(frame.IsClose);
        Assert.Equal("{\"op\":10}", frame.Text);
    }

    [Fact]
    public async Task The_peers_close_is_reported_with_its_code_and_echoed()
    {
        var peerClose = _peer.CloseAsync((WebSocketCloseStatus)4004, "auth failed", CancellationToken.None);

        var frame = await _text.ReceiveAsync(CancellationToken.None).WaitAsync(Bound);
        await peerClose.WaitAsync(Bound); // completes only once our close frame came back

        Assert.True(frame.IsClose);
        Assert.Equal(4004, frame.CloseCode);
        Assert.Equal("auth failed", frame.CloseReason);
    }

    [Fact]
    public async Task Closing_sends_a_real_close_frame_with_the_code()
    {
        await _text.CloseAsync(1000, "shutting down").WaitAsync(Bound);

        var buffer = new byte[256];
        var received = await _peer.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _peer.CloseStatus);
        Assert.Equal("shutting down", _peer.CloseStatusDescription);
    }

    [Fact]
    public async Task A_message_over_the_size_cap_drops_the_connection()
    {
        await PeerSends(new string('x', 70 * 1024));

        await Assert.ThrowsAsync<WebSocketException>(() => _text.ReceiveAsync(CancellationToken.None).WaitAsync(Bound));
    }

    [Fact]
    public async Task Sends_from_two_threads_at_once_arrive_as_two_whole_messages()
    {
        var a = new string('a', 20_000);
        var b = new string('b', 20_000);
        await Task.WhenAll(Task.Run(() => _text.SendAsync(a, CancellationToken.None)), Task.Run(() => _text.SendAsync(b, CancellationToken.None)))
            .WaitAsync(Bound);

        var got = new List<string>();
        var peer = new WebSocketText(_peer, 64 * 1024);
        for (var i = 0; i < 2; i++) got.Add((await peer.ReceiveAsync(CancellationToken.None).WaitAsync(Bound)).Text!);

        Assert.Equal([a, b], got.Order());
    }
}
