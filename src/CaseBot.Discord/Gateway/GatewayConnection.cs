using System.Net.WebSockets;
using System.Text.Json;
using CaseBot.Adapters;
using CaseBot.Discord.Options;
using Microsoft.Extensions.Logging;

namespace CaseBot.Discord.Gateway;

/// <summary>What the client does after a connection ends.</summary>
internal enum GatewayNext { Resume, ResumeAfterBackoff, Identify, IdentifyAfterInvalidSession, Fatal }

internal readonly record struct GatewayOutcome(GatewayNext Next, int? CloseCode = null, string? Why = null);

/// <summary>
/// One gateway connection: its read loop, Hello (then Identify or Resume), op 1/7/9/11, dispatches handed to the
/// adapter, and how it ended. Frames are typed records (<see cref="GatewayJson"/>); a frame that cannot be read is
/// logged and skipped, the connection kept.
/// </summary>
internal sealed class GatewayConnection
{
    /// <summary>Close code for closes we want to resume after: 1000/1001 would end the session.</summary>
    public const int ResumableCloseCode = 4000;

    private static readonly Dictionary<int, string> FatalCloseCodes = new()
    {
        [4004] = "authentication failed: the bot token is wrong or was reset (Discord__Token)",
        [4010] = "invalid shard (Discord__ShardId / Discord__ShardCount)",
        [4011] = "sharding required: the bot is in too many guilds for one shard (set Discord__ShardCount)",
        [4012] = "invalid API version",
        [4013] = "invalid intents",
        [4014] = "disallowed intent: enable it in the Developer Portal (Bot > Privileged Gateway Intents) or turn off Discord__MessageContentIntent",
    };

    private readonly GatewaySession _session;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GatewayHeartbeat _heartbeat;
    private volatile bool _helloSeen;

    public GatewayConnection(IGatewayTransport transport, GatewaySession session, DiscordOptions options, TimeProvider time,
        Func<double> random, ILogger logger)
    {
        Transport = transport;
        _session = session;
        _options = options;
        _time = time;
        _logger = logger;
        _heartbeat = new GatewayHeartbeat(this, session, time, random, logger);
    }

    public IGatewayTransport Transport { get; }

    /// <summary>Set when this side ended the connection (op 7, op 9, zombie): what to do next.</summary>
    public GatewayOutcome? LocalOutcome { get; private set; }

    /// <summary>Reads until the connection ends; returns what to do next.</summary>
    public async Task<GatewayOutcome> RunAsync(Uri url, bool resume, Func<GatewayDispatch, ValueTask> onDispatch, CancellationToken ct)
    {
        await Transport.ConnectAsync(url, ct).ConfigureAwait(false);
        using var connectionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var helloWatch = WatchForHelloAsync(connectionCts.Token);
        try
        {
            while (true)
            {
                TextFrame frame;
                try
                {
                    frame = await Transport.ReceiveAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    if (LocalOutcome is { } local) return local;
                    _logger.LogWarning("Discord gateway connection dropped ({Error}).", ex.Message);
                    return new GatewayOutcome(GatewayNext.ResumeAfterBackoff);
                }

                if (frame.IsClose)
                    return LocalOutcome ?? ClassifyClose(frame.CloseCode, frame.CloseReason);

                var next = await HandleFrameAsync(frame.Text!, resume, onDispatch, connectionCts.Token).ConfigureAwait(false);
                if (next is { } outcome) return outcome;
            }
        }
        finally
        {
            await connectionCts.CancelAsync().ConfigureAwait(false);
            await helloWatch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _heartbeat.Running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (ct.IsCancellationRequested) await Transport.CloseAsync(1000, "shutting down").ConfigureAwait(false);
        }
    }

    /// <summary>Ends the connection from this side, remembering what to do next.</summary>
    public async Task<GatewayOutcome> CloseForAsync(GatewayOutcome outcome, int code = ResumableCloseCode)
    {
        LocalOutcome = outcome;
        await Transport.CloseAsync(code, "reconnecting").ConfigureAwait(false);
        Transport.Abort();
        return outcome;
    }

    private GatewayOutcome ClassifyClose(int? code, string? reason)
    {
        if (code is { } c && FatalCloseCodes.TryGetValue(c, out var why)) return new GatewayOutcome(GatewayNext.Fatal, c, why);
        if (code is 4007 or 4009)
        {
            _logger.LogWarning("Discord closed the gateway with {Code} ({Reason}); starting a new session.", code, reason);
            return new GatewayOutcome(GatewayNext.Identify, code);
        }
        _logger.LogWarning("Discord closed the gateway with {Code} ({Reason}); resuming.", code?.ToString() ?? "no code", reason);
        return new GatewayOutcome(GatewayNext.ResumeAfterBackoff, code);
    }

    private async Task<GatewayOutcome?> HandleFrameAsync(string text, bool resume, Func<GatewayDispatch, ValueTask> onDispatch,
        CancellationToken ct)
    {
        GatewayFrameIn frame;
        try
        {
            frame = GatewayPayloads.Read(text);
        }
        catch (JsonException)
        {
            _logger.LogWarning("Skipping a malformed gateway frame ({Length} chars); the connection stays up.", text.Length);
            return null;
        }
        try
        {
            return await HandleOpAsync(frame, resume, onDispatch, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or UriFormatException)
        {
            _logger.LogWarning("Skipping gateway frame op {Op} that could not be read ({Error}); the connection stays up.", frame.Op, ex.Message);
            return null;
        }
    }

    private async Task<GatewayOutcome?> HandleOpAsync(GatewayFrameIn frame, bool resume, Func<GatewayDispatch, ValueTask> onDispatch,
        CancellationToken ct)
    {
        switch (frame.Op)
        {
            case GatewayOp.Hello:
                var interval = TimeSpan.FromMilliseconds(GatewayPayloads.Data(frame, GatewayJson.Default.HelloData).HeartbeatInterval);
                if (interval <= TimeSpan.Zero) throw new FormatException("heartbeat_interval is not positive");
                if (!_helloSeen) _heartbeat.Start(interval, ct);
                _helloSeen = true;
                if (resume)
                {
                    await Transport.SendAsync(GatewayPayloads.Resume(_options.Token!, _session.SessionId!, _session.LastSequence), ct).ConfigureAwait(false);
                    _logger.LogInformation("Resuming the Discord session at sequence {Sequence}.", _session.LastSequence);
                }
                else
                {
                    _session.LastIdentifyAt = _time.GetUtcNow();
                    await Transport.SendAsync(GatewayPayloads.Identify(_options), ct).ConfigureAwait(false);
                    _logger.LogInformation("Identifying to the Discord gateway (intents {Intents}).", (int)GatewayPayloads.Intents(_options));
                }
                return null;

            case GatewayOp.HeartbeatAck:
                _heartbeat.Acknowledged();
                return null;

            case GatewayOp.Heartbeat:
                await _heartbeat.BeatAsync(ct).ConfigureAwait(false);
                return null;

            case GatewayOp.Reconnect:
                _logger.LogInformation("Discord asked for a reconnect (op 7); resuming.");
                return await CloseForAsync(new GatewayOutcome(GatewayNext.Resume)).ConfigureAwait(false);

            case GatewayOp.InvalidSession:
                var resumable = frame.D.ValueKind == JsonValueKind.True;
                _logger.LogWarning("Discord invalidated the session (op 9, resumable: {Resumable}).", resumable);
                return resumable
                    ? await CloseForAsync(new GatewayOutcome(GatewayNext.Resume)).ConfigureAwait(false)
                    : await CloseForAsync(new GatewayOutcome(GatewayNext.IdentifyAfterInvalidSession), 1000).ConfigureAwait(false);

            case GatewayOp.Dispatch:
                await DispatchAsync(frame, onDispatch).ConfigureAwait(false);
                return null;

            default:
                _logger.LogWarning("Skipping a gateway frame with unknown op {Op}; the connection stays up.", frame.Op);
                return null;
        }
    }

    private async Task DispatchAsync(GatewayFrameIn frame, Func<GatewayDispatch, ValueTask> onDispatch)
    {
        // Replays after a resume start after the sequence we sent; anything at or below it was handled already.
        if (frame.S is { } sequence && !_session.Advance(sequence))
        {
            _logger.LogDebug("Skipping dispatch {Sequence}: already seen.", sequence);
            return;
        }

        switch (frame.T)
        {
            case "READY":
                _session.Ready(GatewayPayloads.Data(frame, GatewayJson.Default.ReadyData));
                _logger.LogInformation("Connected to Discord as user {UserId}.", _session.BotUserId);
                break;
            case "RESUMED":
                _session.Resumed();
                _logger.LogInformation("Discord session resumed.");
                break;
            case null:
                _logger.LogWarning("Skipping a dispatch without an event name.");
                return;
        }

        try
        {
            await onDispatch(new GatewayDispatch(frame.T, frame.S, frame.D)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Handling Discord event {Event} failed.", frame.T);
        }
    }

    private async Task WatchForHelloAsync(CancellationToken ct)
    {
        await Task.Delay(GatewayClient.HelloTimeout, _time, ct).ConfigureAwait(false);
        if (_helloSeen) return;
        _logger.LogWarning("No Hello from the Discord gateway within {Seconds}s; reconnecting.", GatewayClient.HelloTimeout.TotalSeconds);
        Transport.Abort();
    }
}
