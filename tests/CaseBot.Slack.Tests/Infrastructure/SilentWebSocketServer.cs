using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>
/// A WebSocket peer that completes the handshake, says hello, and then goes silent: it never reads, so never
/// answers a ping. Kestrel always answers pings, hence this raw TCP stand-in for a link that died quietly.
/// </summary>
internal sealed class SilentWebSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    public SilentWebSocketServer()
    {
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public string Url => $"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/quiet";
    public Task Accepted => _accepted.Task;

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                lock (_clients) _clients.Add(client);
                var stream = client.GetStream();
                var request = await ReadHeadersAsync(stream);
                var key = request.Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))[18..].Trim();
                var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
                await stream.WriteAsync(TextFrame(Fixture.Text("socket_mode/hello.json")));
                _accepted.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private static async Task<string> ReadHeadersAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!(bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("client went away");
            bytes.Add(one[0]);
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    /// <summary>An unmasked server-to-client text frame (RFC 6455 §5.2).</summary>
    private static byte[] TextFrame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var header = payload.Length < 126
            ? new byte[] { 0x81, (byte)payload.Length }
            : new byte[] { 0x81, 126, (byte)(payload.Length >> 8), (byte)payload.Length };
        return [.. header, .. payload];
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        lock (_clients) foreach (var c in _clients) c.Dispose();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
