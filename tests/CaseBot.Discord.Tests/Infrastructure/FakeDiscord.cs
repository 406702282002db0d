using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <param name="Delay">Real time the fake waits before answering: past the client's HttpClient timeout the client gives up,
/// although the platform did the work (a message sent slowly is still sent).</param>
/// <param name="Hold">When set, the fake has done the work (the request is recorded and served) but holds its reply
/// until this completes (at most <see cref="Wait.Default"/>): the client reads Discord's answer late.</param>
internal sealed record FakeResponse(int Status, string? Body = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    TimeSpan? Delay = null, Task? Hold = null);

/// <param name="Caller">The label of the per-process REST base URL the request came through (see
/// <see cref="FakeDiscord.ApiBaseUrlFor"/>), null for the plain one.</param>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset At, string? Caller = null)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// Discord on loopback: Kestrel serving the REST API under <c>/api/v10</c> and the gateway as a real WebSocket at
/// <c>/gateway</c> (the URL Get Gateway Bot returns) and <c>/resume</c> (the READY resume URL). Requests are
/// recorded with the virtual time of the shared clock, so tests can prove nothing was sent before a reset.
/// Sessions opened with <see cref="AcceptSessionAsync"/> are sharded as Discord shards them: <see cref="DispatchAsync"/>
/// delivers a guild's event only to the sessions of the guild's shard, and a DM only to shard 0.
/// </summary>
internal sealed class FakeDiscord : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<FakeGatewayConnection> _connections = [];
    private readonly List<(Func<RecordedRequest, bool> Match, FakeResponse Response)> _scripted = [];
    private readonly List<(RecordedRequest Request, int Status)> _served = [];
    private readonly Dictionary<string, (int Remaining, DateTimeOffset ResetAt)> _channelBuckets = [];
    private int _bucketViolations;

    private FakeDiscord(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    public string BaseUrl { get; private set; } = "";
    public string ApiBaseUrl => BaseUrl + "/api/v10";
    public string GatewayUrl => BaseUrl.Replace("http://", "ws://") + "/gateway";
    public string ResumeUrl => BaseUrl.Replace("http://", "ws://") + "/resume";

    /// <summary>The same REST API under <c>/{caller}/api/v10</c>: several bot processes sharing this one Discord each
    /// get their own base URL, so a test can tell which process made a request (real Discord only sees the shared
    /// token).</summary>
    public string ApiBaseUrlFor(string caller) => $"{BaseUrl}/{caller}/api/v10";

    /// <summary>The <c>shards</c> count Get Gateway Bot recommends.</summary>
    /// <summary>The <c>max_concurrency</c> GET /gateway/bot reports.</summary>
    public int MaxConcurrency { get; set; } = 1;

    public int RecommendedShards { get; set; } = 1;

    /// <summary>Answer client heartbeats with op 11 automatically (off for zombie tests).</summary>
    public bool AutoAck { get; set; } = true;

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_lock) return _requests.ToList(); } }

    /// <summary>Every REST request with the status the fake decided on (a slow reply counts as served even when the
    /// client gave up waiting: the platform did the work).</summary>
    public IReadOnlyList<(RecordedRequest Request, int Status)> Served { get { lock (_lock) return _served.ToList(); } }

    /// <summary>Called for every REST request once its status is decided (before the reply goes out), so a load driver
    /// can see answers arrive without polling <see cref="Served"/>.</summary>
    public Action<RecordedRequest, int>? OnServed { get; set; }

    /// <summary>When set, Discord's per-channel bucket for Create Message is enforced on the fake's clock: this many
    /// messages per <see cref="ChannelBucketWindow"/>, announced in X-RateLimit-* headers on every reply; a request
    /// into the exhausted bucket gets a 429 and is counted in <see cref="BucketViolations"/>.</summary>
    public int? ChannelBucketLimit { get; set; }
    public TimeSpan ChannelBucketWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests that arrived while their bucket was exhausted (the client should have waited).</summary>
    public int BucketViolations => Volatile.Read(ref _bucketViolations);
    public IReadOnlyList<FakeGatewayConnection> Connections { get { lock (_lock) return _connections.ToList(); } }

    public static async Task<FakeDiscord> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeDiscord(app, clock);
        app.UseWebSockets();
        app.Map("/gateway", fake.AcceptGatewayAsync);
        app.Map("/resume", fake.AcceptGatewayAsync);
        app.Map("/api/v10/{**path}", fake.ServeRestAsync);
        app.Map("/{caller}/api/v10/{**path}", fake.ServeRestAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = address.TrimEnd('/');
        return fake;
    }

    /// <summary>Drops the recorded requests, so a long soak measures the bot's memory, not the fake's growing log.</summary>
    public void ForgetRecorded()
    {
        lock (_lock)
        {
            _requests.Clear();
            _served.Clear();
        }
    }

    /// <summary>Scripted responses not yet used.</summary>
    public int ScriptedPending { get { lock (_lock) return _scripted.Count; } }

    /// <summary>The next request matching <paramref name="match"/> gets <paramref name="response"/> (once).</summary>
    public void RespondOnce(Func<RecordedRequest, bool> match, FakeResponse response)
    {
        lock (_lock) _scripted.Add((match, response));
    }

    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, TimeSpan? timeout = null)
    {
        RecordedRequest? found = null;
        await Wait.UntilAsync(() => (found = Requests.FirstOrDefault(match)) is not null, timeout);
        return found!;
    }

    public async Task<FakeGatewayConnection> WaitForConnectionAsync(int index, TimeSpan? timeout = null)
    {
        await Wait.UntilAsync(() => Connections.Count > index, timeout);
        return Connections[index];
    }

    /// <summary>Discord's rule: <c>shard_id = (guild_id &gt;&gt; 22) % num_shards</c>; events without a guild (DMs) go
    /// to shard 0.</summary>
    public static int ShardOf(string? guildId, int shardCount) =>
        guildId is null ? 0 : (int)((ulong.Parse(guildId, System.Globalization.CultureInfo.InvariantCulture) >> 22) % (ulong)shardCount);

    /// <summary>Accepts gateway connection <paramref name="index"/> as a session: Hello, the client's Identify, then READY
    /// (carrying the identified shard, as Discord's does). From then on <see cref="DispatchAsync"/> may route to it.</summary>
    public async Task<FakeGatewayConnection> AcceptSessionAsync(int index, TimeSpan? timeout = null)
    {
        var connection = await WaitForConnectionAsync(index, timeout);
        await connection.SendAsync(Events.Hello());
        await connection.ExpectOpAsync(2, timeout);
        var ready = Events.Ready(connection.NextSequence(), ResumeUrl, $"session-{index}");
        ready["d"]!["shard"] = new JsonArray(connection.Shard.Id, connection.Shard.Count);
        await connection.SendAsync(ready);
        connection.IsSession = true;
        return connection;
    }

    /// <summary>
    /// Sends a dispatch as Discord does with several shards: to every open session whose identified shard is the
    /// event's (<see cref="ShardOf"/> its <c>guild_id</c>), each with that session's next sequence number. Returns the
    /// sessions it went to; throws when none is connected for that shard, as a test would otherwise wait in vain.
    /// </summary>
    public async Task<IReadOnlyList<FakeGatewayConnection>> DispatchAsync(string type, JsonObject data)
    {
        var guildId = (string?)data["guild_id"];
        var targets = Connections.Where(c => c.IsSession && !c.IsClosed && c.Shard.Id == ShardOf(guildId, c.Shard.Count)).ToList();
        if (targets.Count == 0)
            throw new InvalidOperationException($"No open session for the shard of guild {guildId ?? "(DM)"}.");
        foreach (var target in targets) await target.SendAsync(Events.Dispatch(type, target.NextSequence(), data.DeepClone()));
        return targets;
    }

    private async Task AcceptGatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeGatewayConnection(context, socket, context.Request.Path, context.Request.QueryString.Value ?? "",
            _clock, () => AutoAck);
        lock (_lock) _connections.Add(connection);
        await connection.RunAsync();
    }

    private async Task ServeRestAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = "/" + (string?)context.Request.RouteValues["path"];
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var caller = (string?)context.Request.RouteValues["caller"];
        var request = new RecordedRequest(context.Request.Method, path, context.Request.QueryString.Value ?? "", body, headers, _clock.GetUtcNow(),
            caller);

        FakeResponse? response = null;
        lock (_lock)
        {
            _requests.Add(request);
            var index = _scripted.FindIndex(s => s.Match(request));
            if (index >= 0)
            {
                response = _scripted[index].Response;
                _scripted.RemoveAt(index);
            }
        }
        response ??= EnforceChannelBucket(request) ?? DefaultResponse(request);
        lock (_lock) _served.Add((request, response.Status));
        OnServed?.Invoke(request, response.Status);
        if (response.Delay is { } delay) await Task.Delay(delay, CancellationToken.None);
        if (response.Hold is { } hold) await hold.WaitAsync(Wait.Default).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? []) context.Response.Headers[name] = value;
        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    /// <summary>Discord's bucket for Create Message, per channel (the major parameter): null when the request may go
    /// (the reply then carries the bucket's headers), a 429 when the client sent into an exhausted bucket.</summary>
    private FakeResponse? EnforceChannelBucket(RecordedRequest request)
    {
        if (ChannelBucketLimit is not { } limit || request.Method != "POST" || !request.Path.StartsWith("/channels/", StringComparison.Ordinal)
            || !request.Path.EndsWith("/messages", StringComparison.Ordinal))
            return null;
        var now = _clock.GetUtcNow();
        int remaining;
        DateTimeOffset resetAt;
        lock (_lock)
        {
            (remaining, resetAt) = _channelBuckets.TryGetValue(request.Path, out var b) && b.ResetAt > now ? b : (limit, now + ChannelBucketWindow);
            if (remaining == 0)
            {
                Interlocked.Increment(ref _bucketViolations);
                var retry = (resetAt - now).TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
                return new FakeResponse(429, $$"""{"message": "You are being rate limited.", "retry_after": {{retry}}, "global": false}""",
                    BucketHeaders(limit, 0, resetAt - now, "user"));
            }
            _channelBuckets[request.Path] = (--remaining, resetAt);
        }
        return new FakeResponse(200, Fixture.Text("rest/message_object_example.json"), BucketHeaders(limit, remaining, resetAt - now, null));
    }

    private static List<KeyValuePair<string, string>> BucketHeaders(int limit, int remaining, TimeSpan resetAfter, string? scope)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-RateLimit-Limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("X-RateLimit-Reset-After", resetAfter.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)),
            new("X-RateLimit-Bucket", "create-message"),
        };
        if (scope is not null) headers.Add(new("X-RateLimit-Scope", scope));
        return headers;
    }

    private FakeResponse DefaultResponse(RecordedRequest request)
    {
        if (request.Method == "GET" && request.Path == "/gateway/bot")
        {
            var body = Fixture.Object("rest/get_gateway_bot_response.json");
            body["url"] = GatewayUrl;
            body["shards"] = RecommendedShards;
            body["session_start_limit"]!["max_concurrency"] = MaxConcurrency;
            return new FakeResponse(200, body.ToJsonString());
        }
        if (request.Path.EndsWith("/callback", StringComparison.Ordinal)) return new FakeResponse(204);
        if (request.Method == "PUT" && request.Path.EndsWith("/commands", StringComparison.Ordinal)) return new FakeResponse(200, request.Body);
        return new FakeResponse(200, Fixture.Text("rest/message_object_example.json"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections) connection.Abort();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>One client connection to the fake gateway: the test sends frames and reads what the client sent.</summary>
internal sealed class FakeGatewayConnection(HttpContext context, WebSocket socket, string path, string query, TimeProvider clock,
    Func<bool> autoAck)
{
    private readonly Channel<JsonNode> _frames = Channel.CreateUnbounded<JsonNode>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly List<JsonNode> _received = [];
    private readonly List<DateTimeOffset> _receivedAt = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _abortGate = new();
    private bool _ended;
    private long _sequence;
    private volatile JsonNode? _identify;

    public string Path { get; } = path;
    public string Query { get; } = query;
    public DateTimeOffset ConnectedAt { get; } = clock.GetUtcNow();

    /// <summary>The client's Identify (op 2) on this connection, once sent.</summary>
    public JsonNode? Identify => _identify;

    /// <summary>The shard the client identified as: its <c>shard</c> pair, or <c>[0, 1]</c> without one (as Discord reads it).</summary>
    public (int Id, int Count) Shard =>
        _identify?["d"]?["shard"] is JsonArray { Count: 2 } pair ? ((int)pair[0]!, (int)pair[1]!) : (0, 1);

    /// <summary>Set by <see cref="FakeDiscord.AcceptSessionAsync"/> once READY went out: the connection receives routed dispatches.</summary>
    public bool IsSession { get; set; }

    /// <summary>This session's next dispatch sequence number (Discord numbers each session's dispatches from 1).</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>The close code the client sent, when it closed with a handshake.</summary>
    public int? ClientCloseCode { get; private set; }

    public bool IsClosed => _closed.Task.IsCompleted;

    public IReadOnlyList<JsonNode> Received { get { lock (_lock) return _received.ToList(); } }

    /// <summary>The virtual time at which each of <see cref="Received"/> arrived: a frame sent too early shows it.</summary>
    public IReadOnlyList<DateTimeOffset> ReceivedAt { get { lock (_lock) return _receivedAt.ToList(); } }

    internal async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        ClientCloseCode = (int?)socket.CloseStatus;
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);

                var node = JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
                lock (_lock)
                {
                    _received.Add(node);
                    _receivedAt.Add(clock.GetUtcNow());
                }
                if ((int?)node["op"] == 2) _identify = node;
                if (autoAck() && (int?)node["op"] == 1) await SendAsync("""{"op":11}""");
                await _frames.Writer.WriteAsync(node);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            // Under the gate: once the handler returns, ASP.NET Core recycles the HttpContext, and an Abort racing
            // with that threw NullReferenceException inside DefaultHttpContext.Abort (seen in a loaded CI run).
            lock (_abortGate) _ended = true;
            _frames.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }

    public async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (IsPeerGone(ex))
        {
            // The frame went out and the client reacted by dropping the connection before the send completed.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendAsync(JsonNode node) => SendAsync(node.ToJsonString());

    /// <summary>Reads client frames until one with <paramref name="op"/> arrives.</summary>
    public Task<JsonNode> ExpectOpAsync(int op, TimeSpan? timeout = null) => ExpectAnyOpAsync([op], timeout);

    /// <summary>Reads client frames until one with any of <paramref name="ops"/> arrives (e.g. Identify or Resume).</summary>
    public async Task<JsonNode> ExpectAnyOpAsync(int[] ops, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Wait.Default);
        try
        {
            while (true)
            {
                var node = await _frames.Reader.ReadAsync(cts.Token);
                if ((int?)node["op"] is { } op && ops.Contains(op)) return node;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException(
                $"The client sent no op {string.Join("/", ops)} on {Path} (received: {string.Join(", ", Received.Select(r => r.ToJsonString()))}).");
        }
    }

    public Task WaitClosedAsync(TimeSpan? timeout = null) => _closed.Task.WaitAsync(timeout ?? Wait.Default);

    /// <summary>Closes from the server side with a gateway close code, as Discord does (e.g. 4004).</summary>
    public async Task CloseAsync(int code, string reason)
    {
        await _sendLock.WaitAsync();
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (Exception ex) when (IsPeerGone(ex))
        {
            // As above: the client acted on the close frame before the send completed.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>A send that failed because the client already dropped the connection; tests then fail on what the
    /// client did or did not send, not on this race.</summary>
    private static bool IsPeerGone(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException;

    /// <summary>Drops the TCP connection with no close frame.</summary>
    public void Abort()
    {
        lock (_abortGate)
        {
            if (_ended) return; // the request already ended: its context may belong to another request by now
            context.Abort();
        }
    }
}
