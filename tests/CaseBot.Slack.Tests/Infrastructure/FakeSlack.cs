using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>One Web API request the fake received.</summary>
internal sealed record ApiCall(int Seq, string Method, string? Authorization, JsonObject? Body, DateTimeOffset At)
{
    public string? Str(string name) => Body?[name]?.GetValue<string>();
    /// <summary>JSON as a reader sees it (no \u003C escapes), so tests can search for text.</summary>
    public static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public string BlocksJson => Body?["blocks"]?.ToJsonString(Readable) ?? "";
    public string BodyJson => Body?.ToJsonString(Readable) ?? "";
    public override string ToString() => $"#{Seq} {Method} {Body?.ToJsonString()}";
}

/// <summary>A canned Web API answer. <see cref="Delay"/> (real time) makes it late; a late answer whose client gave up
/// first is never processed, as a request cut off before Slack acted on it — unless <see cref="Processed"/>: then Slack
/// acted on the request first (a chat post is posted) and only its reply fails or comes too late. <see cref="Drop"/>:
/// the connection is cut instead of a reply (the client's HttpClient throws <see cref="HttpRequestException"/>).</summary>
internal sealed record FakeResponse(int Status, string Body, string? RetryAfter = null, TimeSpan? Delay = null, bool Processed = false,
    bool Drop = false)
{
    public static FakeResponse Ok(string body) => new(200, body);

    /// <summary>The connection is reset before Slack acts on the request (as a refused or dropped connection): nothing
    /// is processed.</summary>
    public static FakeResponse Dropped() => new(0, "", Drop: true);

    /// <summary>Slack posted the message, then the connection is reset before its reply is whole.</summary>
    public static FakeResponse ProcessedThenDropped() => new(0, "", Processed: true, Drop: true);

    /// <summary>The method's normal answer (a chat post is processed), after <paramref name="delay"/> of real time.</summary>
    public static FakeResponse Slow(TimeSpan delay) => new(0, "", Delay: delay);

    /// <summary>Slack posted the message, then its reply is an HTTP <paramref name="status"/> (a proxy's 5xx, Slack failing
    /// after the write): the ambiguous failure the Web API's missing idempotency key makes dangerous.</summary>
    public static FakeResponse ProcessedThen(int status) =>
        new(status, status == 500 ? Fixture.Text("web_api/fatal_error_body.json") : $"<html>{status}</html>", Processed: true);

    /// <summary>Slack posted the message, then its reply comes after <paramref name="delay"/> of real time (the client
    /// has given up by then).</summary>
    public static FakeResponse ProcessedThenSlow(TimeSpan delay) => new(0, "", Delay: delay, Processed: true);
}

/// <summary>A message the fake holds for <c>conversations.history</c> / <c>conversations.replies</c>.</summary>
internal sealed record StoredMessage(string Channel, string Ts, string? ThreadTs, ApiCall Call);

/// <summary>
/// Slack on loopback: Kestrel serving the Web API (<c>/api/{method}</c>) and Socket Mode WebSockets (<c>/link</c>),
/// answering from the official fixtures. Every ack, API call and link event goes into one ordered <see cref="Log"/>
/// so tests can check what happened before what.
/// </summary>
internal sealed class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeLink> _links = Channel.CreateUnbounded<FakeLink>();
    private readonly Dictionary<string, Queue<FakeResponse>> _scripted = new(StringComparer.Ordinal);
    private int _seq;
    private int _linkCount;

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Ordered record: <c>open</c>, <c>link+N</c>, <c>link-N</c>, <c>ack:{envelope_id}</c>, <c>call:{method}</c>.</summary>
    public AsyncList<(int Seq, string What)> Log { get; } = new();
    public AsyncList<ApiCall> Calls { get; } = new();

    /// <summary>Messages Slack processed (posted): chat.postMessage calls — not the scripted faults, not the ones refused
    /// by the channel limit, not the late ones whose client gave up — and posts to a response_url.</summary>
    public AsyncList<ApiCall> Posted { get; } = new();

    /// <summary>Called for each message in <see cref="Posted"/>, as it is processed.</summary>
    public Action<ApiCall>? OnPosted { get; set; }

    /// <summary>Every link accepted, in order (as <see cref="NextLinkAsync"/> hands them out).</summary>
    public AsyncList<FakeLink> Links { get; } = new();

    /// <summary>
    /// Slack's chat.postMessage limit, "about one message per second per channel, short bursts allowed": a bucket per
    /// channel of <see cref="ChannelBurst"/> messages refilled at one per <see cref="ChannelInterval"/> on
    /// <see cref="Clock"/>. A post into an empty bucket is refused with 429 <c>Retry-After: 1</c>, not processed, and
    /// counted in <see cref="ChannelLimitViolations"/>. Off (null) unless a test sets it.
    /// </summary>
    public TimeSpan? ChannelInterval { get; set; }
    public int ChannelBurst { get; set; } = 3;
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);
    private int _violations;
    public int ChannelLimitViolations => Volatile.Read(ref _violations);

    /// <summary>
    /// Slack's Tier 3 limit on <c>conversations.history</c> and <c>conversations.replies</c> ("50+ per minute"): a bucket
    /// per method of <see cref="ReadBurst"/> calls refilled at one per <see cref="ReadInterval"/> on <see cref="Clock"/>;
    /// a call into an empty bucket gets 429 <c>Retry-After: 1</c> and is counted in <see cref="ReadLimitViolations"/>.
    /// Off (null) unless a test sets it.
    /// </summary>
    public TimeSpan? ReadInterval { get; set; }
    public int ReadBurst { get; set; } = 5;
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _readBuckets = new(StringComparer.Ordinal);
    private int _readViolations;
    public int ReadLimitViolations => Volatile.Read(ref _readViolations);

    private readonly List<StoredMessage> _messages = [];
    private long _lastTsMicros;

    /// <summary>Every message posted so far (chat.postMessage processed), with the <c>ts</c> the fake gave it.</summary>
    public IReadOnlyList<StoredMessage> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    /// <summary>A fault chosen per request (before the <see cref="Script"/>ed ones), or null for none; called on
    /// Kestrel's threads.</summary>
    public Func<ApiCall, FakeResponse?>? FaultFor { get; set; }

    /// <summary>Scripted answers not yet used, over all methods.</summary>
    public int ScriptedPending
    {
        get { lock (_scripted) return _scripted.Values.Sum(q => q.Count); }
    }

    /// <summary>Send hello as soon as a link is accepted (off: the test calls <see cref="FakeLink.SendHelloAsync"/>).</summary>
    public Func<int, bool> AutoHello { get; set; } = _ => true;

    /// <summary>Where the Nth apps.connections.open points (null: this fake's own /link).</summary>
    public Func<int, string?>? LinkUrl { get; set; }

    public string ApiBaseUrl { get; private set; } = "";
    public string WsBaseUrl { get; private set; } = "";

    private FakeSlack(WebApplication app) => _app = app;

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlack(app);
        app.UseWebSockets();
        app.Map("/link", fake.AcceptLinkAsync);
        app.MapPost("/api/{method}", fake.HandleApiAsync);
        app.MapPost("/response/{id}", (HttpContext ctx, string id) => fake.HandleApiAsync(ctx, "response_url:" + id));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiBaseUrl = address + "/api/";
        fake.WsBaseUrl = address.Replace("http://", "ws://") + "/link";
        return fake;
    }

    /// <summary>Queue answers for a method; once used up, the default (ok fixture) answers.</summary>
    public void Script(string method, params FakeResponse[] responses)
    {
        lock (_scripted)
        {
            if (!_scripted.TryGetValue(method, out var q)) _scripted[method] = q = new Queue<FakeResponse>();
            foreach (var r in responses) q.Enqueue(r);
        }
    }

    public int Record(string what)
    {
        var seq = Interlocked.Increment(ref _seq);
        Log.Add((seq, what));
        return seq;
    }

    /// <summary>Drops what was recorded so far (log, calls, posts, stored messages, acks): a soak keeps the fake's
    /// memory flat, so what it samples is the bot's.</summary>
    public void ForgetRecorded()
    {
        Log.Clear();
        Calls.Clear();
        Posted.Clear();
        lock (_messages) _messages.Clear();
        foreach (var link in Links.Snapshot()) link.Acks.Clear();
    }

    public IReadOnlyList<ApiCall> CallsTo(string method) => Calls.Snapshot().Where(c => c.Method == method).ToList();

    public IReadOnlyList<ApiCall> ChatCalls() => Calls.Snapshot().Where(c => c.Method.StartsWith("chat.", StringComparison.Ordinal)).ToList();

    public async Task<FakeLink> NextLinkAsync(TimeSpan? timeout = null) =>
        await _links.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    private async Task HandleApiAsync(HttpContext ctx, string method)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        JsonObject? body = null;
        if (ctx.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
            body = JsonNode.Parse(text)?.AsObject();
        else if (text.Length > 0)
        {
            // The read methods are form-encoded: kept as a JSON object of strings, so tests read both alike.
            var form = System.Web.HttpUtility.ParseQueryString(text);
            body = new JsonObject();
            foreach (var key in form.AllKeys.OfType<string>()) body[key] = form[key];
        }
        var seq = Record("call:" + method);
        var call = new ApiCall(seq, method, ctx.Request.Headers.Authorization.ToString(), body, Clock.GetUtcNow());
        Calls.Add(call);

        var scripted = FaultFor?.Invoke(call);
        lock (_scripted)
            if (scripted is null && _scripted.TryGetValue(method, out var q) && q.Count > 0) scripted = q.Dequeue();
        if (scripted is { Processed: true })
        {
            // Slack acts on the request first; only then does its reply fail or come too late.
            if (!Process(method, body, call))
            {
                await RespondAsync(ctx, new FakeResponse(429, Fixture.Text("web_api/ratelimited_429_body.json"), RetryAfter: "1"));
                return;
            }
            if (scripted.Drop)
            {
                await DropAsync(ctx);
                return; // the message stays posted
            }
            if (scripted.Delay is { } late)
            {
                try
                {
                    await Task.Delay(late, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up first; the message stays posted
                }
            }
            await RespondAsync(ctx, scripted.Status == 0 ? Default(method) : scripted);
            return;
        }
        if (scripted is { Drop: true })
        {
            await DropAsync(ctx); // nothing was processed
            return;
        }
        if (scripted?.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up first: nothing was processed
            }
            if (scripted.Status == 0) scripted = null;
        }
        if (scripted is null && !Process(method, body, call))
            scripted = new FakeResponse(429, Fixture.Text("web_api/ratelimited_429_body.json"), RetryAfter: "1");
        if (scripted is null && method is "conversations.history" or "conversations.replies")
            scripted = FakeResponse.Ok(ReadConversation(method, body));
        await RespondAsync(ctx, scripted ?? Default(method));
    }

    /// <summary>
    /// Cuts the connection part-way through a reply: the status line and headers promise a body that never comes, then
    /// the connection is aborted. (Aborting before any byte of the reply would do too, but SocketsHttpHandler silently
    /// resends a request that fails so on a reused connection, and a test could not tell how many tries it made.)
    /// </summary>
    private static async Task DropAsync(HttpContext ctx)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json;charset=utf-8";
        ctx.Response.ContentLength = 1_000;
        await ctx.Response.WriteAsync("{\"ok\":");
        await ctx.Response.Body.FlushAsync();
        ctx.Abort();
    }

    private static async Task RespondAsync(HttpContext ctx, FakeResponse response)
    {
        ctx.Response.StatusCode = response.Status;
        if (response.RetryAfter is not null) ctx.Response.Headers["retry-after"] = response.RetryAfter;
        ctx.Response.ContentType = "application/json;charset=utf-8";
        await ctx.Response.WriteAsync(response.Body);
    }

    /// <summary>What Slack does with a request before it replies: a chat post is posted (false: refused by the channel
    /// limit), a response_url post too; a read is refused (false) by the Tier 3 limit.</summary>
    private bool Process(string method, JsonObject? body, ApiCall call)
    {
        if (method == "chat.postMessage" && body?["channel"]?.GetValueKind() == JsonValueKind.String)
        {
            var channel = body["channel"]!.GetValue<string>();
            if (!TakeChannelToken(channel))
            {
                Interlocked.Increment(ref _violations);
                return false;
            }
            lock (_messages)
            {
                var micros = Math.Max(_lastTsMicros + 1, (Clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10);
                _lastTsMicros = micros;
                var thread = body["thread_ts"]?.GetValueKind() == JsonValueKind.String ? body["thread_ts"]!.GetValue<string>() : null;
                _messages.Add(new StoredMessage(channel, $"{micros / 1_000_000}.{micros % 1_000_000:D6}", thread, call));
            }
            Posted.Add(call);
            OnPosted?.Invoke(call);
        }
        else if (method.StartsWith("response_url:", StringComparison.Ordinal))
        {
            Posted.Add(call);
            OnPosted?.Invoke(call);
        }
        else if (method is "conversations.history" or "conversations.replies" && !TakeReadToken(method))
        {
            Interlocked.Increment(ref _readViolations);
            return false;
        }
        return true;
    }

    /// <summary>
    /// <c>conversations.history</c>: the channel's messages that are not thread replies, newest first;
    /// <c>conversations.replies</c>: the thread's parent (a stand-in for the asker's message) then its replies, oldest
    /// first. Both from <c>oldest</c> (inclusive when asked), at most <c>limit</c>; metadata only with
    /// <c>include_all_metadata=true</c>, as Slack does.
    /// </summary>
    private string ReadConversation(string method, JsonObject? query)
    {
        string? Arg(string name) => query?[name]?.GetValueKind() == JsonValueKind.String ? query[name]!.GetValue<string>() : null;
        var channel = Arg("channel");
        if (string.IsNullOrEmpty(channel)) return """{"ok":false,"error":"channel_not_found"}""";
        var thread = Arg("ts");
        if (method == "conversations.replies" && string.IsNullOrEmpty(thread)) return """{"ok":false,"error":"thread_not_found"}""";
        var oldest = decimal.TryParse(Arg("oldest"), System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0m;
        var inclusive = Arg("inclusive") is "true" or "1";
        var limit = int.TryParse(Arg("limit"), out var l) && l > 0 ? l : 100;
        var withMetadata = Arg("include_all_metadata") is "true" or "1";
        bool After(string ts) => decimal.Parse(ts, System.Globalization.CultureInfo.InvariantCulture) is var t && (inclusive ? t >= oldest : t > oldest);

        List<StoredMessage> all;
        lock (_messages) all = _messages.Where(m => m.Channel == channel).ToList();
        IEnumerable<JsonObject> found = method == "conversations.history"
            ? all.Where(m => m.ThreadTs is null && After(m.Ts)).OrderByDescending(m => m.Ts.Length).ThenByDescending(m => m.Ts, StringComparer.Ordinal).Select(ToJson)
            : new[] { new JsonObject { ["type"] = "message", ["user"] = "U0ASKER", ["text"] = "a question", ["ts"] = thread, ["thread_ts"] = thread } }
                .Concat(all.Where(m => m.ThreadTs == thread && After(m.Ts)).Select(ToJson));
        var messages = new JsonArray(found.Take(limit).Select(JsonNode (m) => m).ToArray());
        return new JsonObject { ["ok"] = true, ["messages"] = messages, ["has_more"] = false }.ToJsonString();

        JsonObject ToJson(StoredMessage m)
        {
            var json = new JsonObject
            {
                ["type"] = "message", ["user"] = "U111", ["bot_id"] = "B111", ["text"] = m.Call.Str("text") ?? "", ["ts"] = m.Ts,
            };
            if (m.ThreadTs is not null) json["thread_ts"] = m.ThreadTs;
            if (withMetadata && m.Call.Body?["metadata"] is { } metadata) json["metadata"] = metadata.DeepClone();
            return json;
        }
    }

    private bool TakeReadToken(string method)
    {
        if (ReadInterval is not { } interval) return true;
        lock (_readBuckets)
        {
            var now = Clock.GetUtcNow();
            var (tokens, at) = _readBuckets.TryGetValue(method, out var b) ? b : (ReadBurst, now);
            tokens = Math.Min(ReadBurst, tokens + (now - at) / interval);
            if (tokens < 1)
            {
                _readBuckets[method] = (tokens, now);
                return false;
            }
            _readBuckets[method] = (tokens - 1, now);
            return true;
        }
    }

    private bool TakeChannelToken(string channel)
    {
        if (ChannelInterval is not { } interval) return true;
        lock (_buckets)
        {
            var now = Clock.GetUtcNow();
            var (tokens, at) = _buckets.TryGetValue(channel, out var b) ? b : (ChannelBurst, now);
            tokens = Math.Min(ChannelBurst, tokens + (now - at) / interval);
            if (tokens < 1)
            {
                _buckets[channel] = (tokens, now);
                return false;
            }
            _buckets[channel] = (tokens - 1, now);
            return true;
        }
    }

    private FakeResponse Default(string method) => method switch
    {
        "auth.test" => FakeResponse.Ok("""{"ok":true,"url":"https://xxx.slack.com/","team":"T","user":"casebot","team_id":"T111","user_id":"U111","bot_id":"B111"}"""),
        "apps.connections.open" => FakeResponse.Ok(new JsonObject
        {
            ["ok"] = true,
            ["url"] = LinkUrl?.Invoke(CallsTo(method).Count) ?? $"{WsBaseUrl}?ticket=t{CallsTo(method).Count}",
        }.ToJsonString()),
        "chat.postMessage" => FakeResponse.Ok(Fixture.Text("web_api/chat.postMessage_ok.json")),
        "chat.postEphemeral" => FakeResponse.Ok(Fixture.Text("web_api/chat.postEphemeral_ok.json")),
        _ => FakeResponse.Ok("""{"ok":false,"error":"unknown_method"}"""),
    };

    private async Task AcceptLinkAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = (int)HttpStatusCode.BadRequest;
            return;
        }
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var number = Interlocked.Increment(ref _linkCount);
        var link = new FakeLink(this, ws, number);
        Record($"link+{number}");
        if (AutoHello(number)) await link.SendHelloAsync();
        Links.Add(link);
        _links.Writer.TryWrite(link);
        await link.ReceiveLoopAsync(ctx.RequestAborted);
        link.MarkClosed();
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>The server side of one Socket Mode link.</summary>
internal sealed class FakeLink(FakeSlack slack, WebSocket ws, int number)
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();

    public int Number { get; } = number;
    public AsyncList<JsonObject> Acks { get; } = new();
    public Task Closed => _closed.Task;

    private int _closeRecorded;

    /// <summary>Records <c>link-N</c> once, when the client's close arrives or the socket ends.</summary>
    internal void MarkClosed()
    {
        if (Interlocked.Exchange(ref _closeRecorded, 1) == 0) slack.Record($"link-{Number}");
    }

    public Task SendHelloAsync() => SendAsync(Fixture.Text("socket_mode/hello.json"));

    public Task SendAsync(JsonNode message) => SendAsync(message.ToJsonString());

    public async Task SendAsync(string text)
    {
        await _send.WaitAsync();
        try
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Drops the TCP connection without a close handshake, as a network failure would.</summary>
    public void Abort()
    {
        _abort.Cancel();
        ws.Abort();
    }

    public Task<JsonObject> WaitForAckAsync(string envelopeId) =>
        Acks.WaitForAsync(a => a["envelope_id"]?.GetValue<string>() == envelopeId);

    internal async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _abort.Token);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer, linked.Token);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        MarkClosed(); // logged before the client can see our close reply and move on
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }
                    message.Write(buffer, 0, r.Count);
                } while (!r.EndOfMessage);
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                if (json["envelope_id"] is not null)
                {
                    slack.Record("ack:" + json["envelope_id"]!.GetValue<string>());
                    Acks.Add(json);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
