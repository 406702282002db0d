using System.Net.WebSockets;
using System.Text.Json;
using CaseBot.Adapters;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Gateway;

/// <summary>A dispatch (op 0) the adapter acts on. <see cref="Data"/> is a detached copy, safe to keep.</summary>
internal sealed record GatewayDispatch(string Type, long? Sequence, JsonElement Data);

/// <summary>
/// One Discord Gateway session: Get Gateway Bot, Hello, heartbeats (jittered first beat, zombie detection on a
/// missing ACK), Identify or Resume, op 1/7/9, and the close-code policy: fatal codes stop for good, others
/// reconnect with capped exponential backoff and jitter. Dispatches go to a callback that must not block: the
/// read loop is what keeps the heartbeat ACKs flowing.
/// </summary>
internal sealed class GatewayClient(
    IOptions<DiscordOptions> options,
    IGatewayTransportFactory transports,
    DiscordRestClient rest,
    TimeProvider time,
    IBotMetrics metrics,
    ILogger<GatewayClient> logger,
    Func<double>? random = null)
{
    public const int ApiVersion = 10;
    /// <summary>Close code for closes we want to resume after: 1000/1001 would end the session.</summary>
    public const int ResumableCloseCode = 4000;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdentifySpacing = TimeSpan.FromSeconds(5);
    /// <summary>Discord sends Hello at once; a connection that stays silent this long is dead before it started.</summary>
    internal static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<int, string> FatalCloseCodes = new()
    {
        [4004] = "authentication failed: the bot token is wrong or was reset (Discord__Token)",
        [4010] = "invalid shard (Discord__ShardId / Discord__ShardCount)",
        [4011] = "sharding required: the bot is in too many guilds for one shard (set Discord__ShardCount)",
        [4012] = "invalid API version",
        [4013] = "invalid intents",
        [4014] = "disallowed intent: enable it in the Developer Portal (Bot > Privileged Gateway Intents) or turn off Discord__MessageContentIntent",
    };

    private readonly DiscordOptions _options = options.Value;
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private readonly JitteredBackoff _backoff = new(BackoffBase, BackoffCap, random ?? Random.Shared.NextDouble);

    private string? _sessionId;
    private Uri? _resumeUrl;
    private DateTimeOffset? _lastIdentifyAt;
    private int _failures;
    private volatile bool _connected;

    public bool IsConnected => _connected;
    public string? BotUserId { get; private set; }
    public long? LastSequence => Interlocked.Read(ref _lastSeqBox) is var v && v >= 0 ? v : null;
    private long _lastSeqBox = -1;

    /// <summary>Set when Discord closed with a fatal code and the client stopped.</summary>
    public int? FatalCloseCode { get; private set; }

    /// <summary>Runs until cancelled or until Discord closes with a fatal code.</summary>
    public async Task RunAsync(Func<GatewayDispatch, ValueTask> onDispatch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var resume = _sessionId is not null && _resumeUrl is not null;
            Outcome outcome;
            try
            {
                Uri url;
                if (resume)
                {
                    url = _resumeUrl!;
                }
                else
                {
                    await WaitForIdentifySlotAsync(ct).ConfigureAwait(false);
                    url = await FetchGatewayUrlAsync(ct).ConfigureAwait(false);
                }
                outcome = await RunConnectionAsync(WithQuery(url), resume, onDispatch, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (DiscordRestException ex) when (ex.IsAuthFailure)
            {
                outcome = new Outcome(Next.Fatal, ex.StatusCode, ex.StatusCode == 401
                    ? "authentication failed: Discord rejected the bot token (Discord__Token)"
                    : "forbidden: Discord refused the gateway request (403); check the bot token (Discord__Token) and the application");
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or DiscordRestException
                                           or JsonException or InvalidOperationException or UriFormatException)
            {
                logger.LogWarning("Discord gateway connection failed: {Error}", ex.Message);
                outcome = new Outcome(Next.ResumeAfterBackoff);
            }
            finally
            {
                _connected = false;
            }

            TimeSpan wait;
            switch (outcome.Next)
            {
                case Next.Fatal:
                    FatalCloseCode = outcome.CloseCode;
                    logger.LogCritical("Discord gateway closed with {Code}: {Why}. The Discord adapter is stopping and will not reconnect.",
                        outcome.CloseCode, outcome.Why);
                    return;
                case Next.Resume or Next.Identify:
                    if (outcome.Next == Next.Identify) ClearSession();
                    // At once after a healthy connection; backed off when the last one never got to READY/RESUMED,
                    // so a server that keeps asking for reconnects cannot make us spin.
                    wait = _failures == 0 ? TimeSpan.Zero : Backoff(_failures);
                    _failures++;
                    break;
                case Next.IdentifyAfterInvalidSession:
                    ClearSession();
                    wait = TimeSpan.FromSeconds(1 + 4 * _random()); // the docs: a random 1–5 s
                    break;
                default:
                    wait = Backoff(_failures++);
                    break;
            }
            logger.LogInformation("Reconnecting to the Discord gateway in {Seconds:F1}s ({Mode}).",
                wait.TotalSeconds, _sessionId is null ? "identify" : "resume");
            metrics.Reconnected(DiscordPlatform.Name);
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>The kit's jittered backoff (spreads reconnects of many bots); <paramref name="failures"/> from 0.</summary>
    private TimeSpan Backoff(int failures) => _backoff.Delay(failures + 1);

    private void ClearSession()
    {
        _sessionId = null;
        _resumeUrl = null;
        Interlocked.Exchange(ref _lastSeqBox, -1);
    }

    private async Task WaitForIdentifySlotAsync(CancellationToken ct)
    {
        // Identify at most once per 5 s (max_concurrency 1): a flapping connection must not burn the daily 1000.
        if (_lastIdentifyAt is { } last && time.GetUtcNow() - last < IdentifySpacing)
            await Task.Delay(last + IdentifySpacing - time.GetUtcNow(), time, ct).ConfigureAwait(false);
    }

    private async Task<Uri> FetchGatewayUrlAsync(CancellationToken ct)
    {
        var body = await rest.SendAsync(DiscordRoute.GetGatewayBot(), null, ct).ConfigureAwait(false)
                   ?? throw new InvalidOperationException("GET /gateway/bot returned no body.");
        if (body.TryGetProperty("session_start_limit", out var limit)
            && limit.TryGetProperty("remaining", out var remaining) && remaining.GetInt32() == 0
            && limit.TryGetProperty("reset_after", out var resetAfter))
        {
            var wait = TimeSpan.FromMilliseconds(resetAfter.GetDouble());
            logger.LogWarning("Discord's daily Identify allowance is used up; waiting {Minutes:F0} min for it to reset.", wait.TotalMinutes);
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
        return new Uri(body.GetProperty("url").GetString() ?? throw new InvalidOperationException("GET /gateway/bot returned no url."));
    }

    internal static Uri WithQuery(Uri url) =>
        new UriBuilder(url) { Query = $"v={ApiVersion}&encoding=json" }.Uri;

    private async Task<Outcome> RunConnectionAsync(Uri url, bool resume, Func<GatewayDispatch, ValueTask> onDispatch, CancellationToken ct)
    {
        await using var transport = transports.Create();
        await transport.ConnectAsync(url, ct).ConfigureAwait(false);
        var conn = new Connection(transport);
        using var connectionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var helloWatch = WatchForHelloAsync(conn, connectionCts.Token);
        try
        {
            while (true)
            {
                TextFrame frame;
                try
                {
                    frame = await transport.ReceiveAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    if (conn.LocalOutcome is { } local) return local;
                    logger.LogWarning("Discord gateway connection dropped ({Error}).", ex.Message);
                    return new Outcome(Next.ResumeAfterBackoff);
                }

                if (frame.IsClose)
                    return conn.LocalOutcome ?? ClassifyClose(frame.CloseCode, frame.CloseReason);

                var next = await HandleFrameAsync(conn, frame.Text!, resume, onDispatch, connectionCts.Token).ConfigureAwait(false);
                if (next is { } outcome) return outcome;
            }
        }
        finally
        {
            await connectionCts.CancelAsync().ConfigureAwait(false);
            await helloWatch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (conn.Heartbeat is { } heartbeat) await heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (ct.IsCancellationRequested) await transport.CloseAsync(1000, "shutting down").ConfigureAwait(false);
        }
    }

    private Outcome ClassifyClose(int? code, string? reason)
    {
        if (code is { } c && FatalCloseCodes.TryGetValue(c, out var why)) return new Outcome(Next.Fatal, c, why);
        if (code is 4007 or 4009)
        {
            logger.LogWarning("Discord closed the gateway with {Code} ({Reason}); starting a new session.", code, reason);
            return new Outcome(Next.Identify, code);
        }
        logger.LogWarning("Discord closed the gateway with {Code} ({Reason}); resuming.", code?.ToString() ?? "no code", reason);
        return new Outcome(Next.ResumeAfterBackoff, code);
    }

    private async Task<Outcome?> HandleFrameAsync(Connection conn, string text, bool resume,
        Func<GatewayDispatch, ValueTask> onDispatch, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            logger.LogWarning("Skipping a malformed gateway frame ({Length} chars); the connection stays up.", text.Length);
            return null;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
            {
                logger.LogWarning("Skipping a gateway frame without a numeric op; the connection stays up.");
                return null;
            }
            try
            {
                return await HandleOpAsync(conn, op, root, resume, onDispatch, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException or UriFormatException)
            {
                logger.LogWarning("Skipping gateway frame op {Op} that could not be read ({Error}); the connection stays up.", op, ex.Message);
                return null;
            }
        }
    }

    private async Task<Outcome?> HandleOpAsync(Connection conn, int op, JsonElement root, bool resume,
        Func<GatewayDispatch, ValueTask> onDispatch, CancellationToken ct)
    {
        switch (op)
        {
            case GatewayOp.Hello:
                var interval = TimeSpan.FromMilliseconds(root.GetProperty("d").GetProperty("heartbeat_interval").GetDouble());
                if (interval <= TimeSpan.Zero) throw new FormatException("heartbeat_interval is not positive");
                conn.Heartbeat ??= HeartbeatLoopAsync(conn, interval, ct);
                if (resume)
                {
                    await conn.Transport.SendAsync(GatewayPayloads.Resume(_options.Token!, _sessionId!, LastSequence), ct).ConfigureAwait(false);
                    logger.LogInformation("Resuming the Discord session at sequence {Sequence}.", LastSequence);
                }
                else
                {
                    _lastIdentifyAt = time.GetUtcNow();
                    await conn.Transport.SendAsync(GatewayPayloads.Identify(_options), ct).ConfigureAwait(false);
                    logger.LogInformation("Identifying to the Discord gateway (intents {Intents}).", (int)GatewayPayloads.Intents(_options));
                }
                return null;

            case GatewayOp.HeartbeatAck:
                conn.AwaitingAck = false;
                return null;

            case GatewayOp.Heartbeat:
                await SendHeartbeatAsync(conn, ct).ConfigureAwait(false);
                return null;

            case GatewayOp.Reconnect:
                logger.LogInformation("Discord asked for a reconnect (op 7); resuming.");
                return await CloseForAsync(conn, new Outcome(Next.Resume)).ConfigureAwait(false);

            case GatewayOp.InvalidSession:
                var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                logger.LogWarning("Discord invalidated the session (op 9, resumable: {Resumable}).", resumable);
                return resumable
                    ? await CloseForAsync(conn, new Outcome(Next.Resume)).ConfigureAwait(false)
                    : await CloseForAsync(conn, new Outcome(Next.IdentifyAfterInvalidSession), 1000).ConfigureAwait(false);

            case GatewayOp.Dispatch:
                await DispatchAsync(root, onDispatch).ConfigureAwait(false);
                return null;

            default:
                logger.LogWarning("Skipping a gateway frame with unknown op {Op}; the connection stays up.", op);
                return null;
        }
    }

    private async Task DispatchAsync(JsonElement root, Func<GatewayDispatch, ValueTask> onDispatch)
    {
        long? sequence = root.TryGetProperty("s", out var s) && s.TryGetInt64(out var seq) ? seq : null;
        if (sequence is { } current)
        {
            // Replays after a resume start after the sequence we sent; anything at or below it was handled already.
            if (LastSequence is { } last && current <= last)
            {
                logger.LogDebug("Skipping dispatch {Sequence}: already seen.", current);
                return;
            }
            Interlocked.Exchange(ref _lastSeqBox, current);
        }

        var type = root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var data = root.TryGetProperty("d", out var d) ? d.Clone() : default;
        switch (type)
        {
            case "READY":
                _sessionId = data.GetProperty("session_id").GetString();
                _resumeUrl = new Uri(data.GetProperty("resume_gateway_url").GetString()!);
                BotUserId = data.GetProperty("user").GetProperty("id").GetString();
                _connected = true;
                _failures = 0;
                logger.LogInformation("Connected to Discord as user {UserId}.", BotUserId);
                break;
            case "RESUMED":
                _connected = true;
                _failures = 0;
                logger.LogInformation("Discord session resumed.");
                break;
            case null:
                logger.LogWarning("Skipping a dispatch without an event name.");
                return;
        }

        try
        {
            await onDispatch(new GatewayDispatch(type, sequence, data)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Handling Discord event {Event} failed.", type);
        }
    }

    private async Task<Outcome> CloseForAsync(Connection conn, Outcome outcome, int code = ResumableCloseCode)
    {
        conn.LocalOutcome = outcome;
        await conn.Transport.CloseAsync(code, "reconnecting").ConfigureAwait(false);
        conn.Transport.Abort();
        return outcome;
    }

    private async Task WatchForHelloAsync(Connection conn, CancellationToken ct)
    {
        await Task.Delay(HelloTimeout, time, ct).ConfigureAwait(false);
        if (conn.Heartbeat is not null) return;
        logger.LogWarning("No Hello from the Discord gateway within {Seconds}s; reconnecting.", HelloTimeout.TotalSeconds);
        conn.Transport.Abort();
    }

    private async Task SendHeartbeatAsync(Connection conn, CancellationToken ct)
    {
        conn.AwaitingAck = true;
        await conn.Transport.SendAsync(GatewayPayloads.Heartbeat(LastSequence), ct).ConfigureAwait(false);
    }

    private async Task HeartbeatLoopAsync(Connection conn, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            var delay = interval * _random(); // first beat jittered, as documented
            while (true)
            {
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
                if (conn.AwaitingAck)
                {
                    logger.LogWarning("No heartbeat ACK from Discord within {Seconds:F1}s: the connection is a zombie; reconnecting to resume.",
                        interval.TotalSeconds);
                    await CloseForAsync(conn, new Outcome(Next.Resume)).ConfigureAwait(false);
                    return;
                }
                await SendHeartbeatAsync(conn, ct).ConfigureAwait(false);
                delay = interval;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogDebug("Heartbeat send failed ({Error}); dropping the connection.", ex.Message);
            conn.Transport.Abort();
        }
    }

    private enum Next { Resume, ResumeAfterBackoff, Identify, IdentifyAfterInvalidSession, Fatal }

    private readonly record struct Outcome(Next Next, int? CloseCode = null, string? Why = null);

    private sealed class Connection(IGatewayTransport transport)
    {
        private volatile bool _awaitingAck;
        public IGatewayTransport Transport { get; } = transport;
        public Task? Heartbeat { get; set; }
        public bool AwaitingAck { get => _awaitingAck; set => _awaitingAck = value; }
        public Outcome? LocalOutcome { get; set; }
    }
}
