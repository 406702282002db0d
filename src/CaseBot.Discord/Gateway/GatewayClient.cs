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
/// Keeps the Discord Gateway session alive across connections (Discord.Net's connection-manager split): Get Gateway
/// Bot, one <see cref="GatewayConnection"/> at a time (Hello, <see cref="GatewayHeartbeat"/>, Identify or Resume,
/// op 1/7/9), the <see cref="GatewaySession"/> to resume, and the reconnect policy: fatal close codes stop for good,
/// others reconnect with the kit's capped, jittered backoff. Dispatches go to a callback that must not block: the
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
    public const int ResumableCloseCode = GatewayConnection.ResumableCloseCode;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdentifySpacing = TimeSpan.FromSeconds(5);
    /// <summary>Discord sends Hello at once; a connection that stays silent this long is dead before it started.</summary>
    internal static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);
    /// <summary>Resumes in a row that never reached RESUMED before the session is given up for a fresh Identify.</summary>
    internal const int MaxFailedResumes = 3;

    private readonly DiscordOptions _options = options.Value;
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private readonly JitteredBackoff _backoff = new(BackoffBase, BackoffCap, random ?? Random.Shared.NextDouble);
    private readonly GatewaySession _session = new();
    private int _failedResumes;

    public bool IsConnected => _session.IsConnected;
    public string? BotUserId => _session.BotUserId;
    public long? LastSequence => _session.LastSequence;

    /// <summary>Set when Discord closed with a fatal code and the client stopped.</summary>
    public int? FatalCloseCode { get; private set; }

    /// <summary>Runs until cancelled or until Discord closes with a fatal code.</summary>
    public async Task RunAsync(Func<GatewayDispatch, ValueTask> onDispatch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var resume = _session.CanResume;
            var liveBefore = _session.LiveConnections;
            GatewayOutcome outcome;
            try
            {
                Uri url;
                if (resume)
                {
                    url = _session.ResumeUrl!;
                }
                else
                {
                    await WaitForIdentifySlotAsync(ct).ConfigureAwait(false);
                    var gateway = await FetchGatewayAsync(ct).ConfigureAwait(false);
                    await WaitForShardBucketAsync(gateway, ct).ConfigureAwait(false);
                    url = new Uri(gateway.Url!);
                }
                await using var transport = transports.Create();
                var connection = new GatewayConnection(transport, _session, _options, time, _random, logger);
                outcome = await connection.RunAsync(WithQuery(url), resume, onDispatch, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (DiscordRestException ex) when (ex.IsAuthFailure)
            {
                outcome = new GatewayOutcome(GatewayNext.Fatal, ex.StatusCode, ex.StatusCode == 401
                    ? "authentication failed: Discord rejected the bot token (Discord__Token)"
                    : "forbidden: Discord refused the gateway request (403); check the bot token (Discord__Token) and the application");
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or DiscordRestException
                                           or JsonException or InvalidOperationException or UriFormatException)
            {
                logger.LogWarning("Discord gateway connection failed: {Error}", ex.Message);
                outcome = new GatewayOutcome(GatewayNext.ResumeAfterBackoff);
            }
            finally
            {
                _session.IsConnected = false;
            }

            ForgetSessionAfterFailedResumes(resume, reachedLive: _session.LiveConnections > liveBefore);
            if (outcome.Next == GatewayNext.Fatal)
            {
                FatalCloseCode = outcome.CloseCode;
                logger.LogCritical("Discord gateway closed with {Code}: {Why}. The Discord adapter is stopping and will not reconnect.",
                    outcome.CloseCode, outcome.Why);
                return;
            }
            var wait = WaitBeforeReconnect(outcome.Next);
            logger.LogInformation("Reconnecting to the Discord gateway in {Seconds:F1}s ({Mode}).",
                wait.TotalSeconds, _session.SessionId is null ? "identify" : "resume");
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

    /// <summary>A session Discord no longer knows makes every resume fail: after a few in a row, clear it so that the
    /// next connection fetches /gateway/bot again and identifies afresh.</summary>
    private void ForgetSessionAfterFailedResumes(bool resumed, bool reachedLive)
    {
        if (reachedLive || !resumed)
        {
            _failedResumes = 0;
            return;
        }
        if (++_failedResumes < MaxFailedResumes) return;
        logger.LogWarning("{Count} resumes in a row failed; starting a new Discord session instead.", _failedResumes);
        _failedResumes = 0;
        _session.Clear();
    }

    private TimeSpan WaitBeforeReconnect(GatewayNext next)
    {
        switch (next)
        {
            case GatewayNext.Resume or GatewayNext.Identify:
                if (next == GatewayNext.Identify) _session.Clear();
                // At once after a healthy connection; backed off when the last one never got to READY/RESUMED,
                // so a server that keeps asking for reconnects cannot make us spin.
                var wait = _session.Failures == 0 ? TimeSpan.Zero : Backoff(_session.Failures);
                _session.Failures++;
                return wait;
            case GatewayNext.IdentifyAfterInvalidSession:
                _session.Clear();
                return TimeSpan.FromSeconds(1 + 4 * _random()); // the docs: a random 1–5 s
            default:
                return Backoff(_session.Failures++);
        }
    }

    /// <summary>The kit's jittered backoff (spreads reconnects of many bots); <paramref name="failures"/> from 0.</summary>
    private TimeSpan Backoff(int failures) => _backoff.Delay(failures + 1);

    private async Task WaitForIdentifySlotAsync(CancellationToken ct)
    {
        // Identify at most once per 5 s (max_concurrency 1): a flapping connection must not burn the daily 1000.
        if (_session.LastIdentifyAt is { } last && time.GetUtcNow() - last < IdentifySpacing)
            await Task.Delay(last + IdentifySpacing - time.GetUtcNow(), time, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Shards identify in <c>shard_id % max_concurrency</c> buckets, 5 s apart: processes started together must not
    /// identify at once, so before its first Identify shard <c>s</c> waits <c>⌊s / max_concurrency⌋ × 5 s</c>.
    /// </summary>
    private async Task WaitForShardBucketAsync(GatewayBotInfo gateway, CancellationToken ct)
    {
        if (_session.LastIdentifyAt is not null || _options.ShardCount <= 1) return;
        var concurrency = Math.Max(1, gateway.SessionStartLimit?.MaxConcurrency ?? 1);
        var wait = IdentifySpacing * (_options.ShardId / concurrency);
        if (wait <= TimeSpan.Zero) return;
        logger.LogInformation("Shard {Shard} waits {Seconds:F0}s for its Identify slot (max_concurrency {Concurrency}).",
            _options.ShardId, wait.TotalSeconds, concurrency);
        await Task.Delay(wait, time, ct).ConfigureAwait(false);
    }

    private async Task<GatewayBotInfo> FetchGatewayAsync(CancellationToken ct)
    {
        var body = await rest.SendAsync(DiscordRoute.GetGatewayBot(), null, ct).ConfigureAwait(false)
                   ?? throw new InvalidOperationException("GET /gateway/bot returned no body.");
        var info = body.Deserialize(GatewayJson.Default.GatewayBotInfo) ?? throw new InvalidOperationException("GET /gateway/bot returned null.");
        if (info.SessionStartLimit is { Remaining: 0 } limit)
        {
            var wait = TimeSpan.FromMilliseconds(limit.ResetAfter);
            logger.LogWarning("Discord's daily Identify allowance is used up; waiting {Minutes:F0} min for it to reset.", wait.TotalMinutes);
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
        _ = new Uri(info.Url ?? throw new InvalidOperationException("GET /gateway/bot returned no url."));
        return info;
    }

    internal static Uri WithQuery(Uri url) =>
        new UriBuilder(url) { Query = $"v={ApiVersion}&encoding=json" }.Uri;
}
