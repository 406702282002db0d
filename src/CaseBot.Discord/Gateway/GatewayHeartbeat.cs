using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace CaseBot.Discord.Gateway;

/// <summary>
/// One connection's heartbeat: the first beat after a jittered share of the interval (as documented), then every
/// interval, each carrying the last sequence. A beat still unacknowledged at the next one marks a zombie
/// connection: it is closed so that the session resumes on a new one.
/// </summary>
internal sealed class GatewayHeartbeat(GatewayConnection connection, GatewaySession session, TimeProvider time, Func<double> random,
    ILogger logger)
{
    private volatile bool _awaitingAck;

    public Task Running { get; private set; } = Task.CompletedTask;

    public void Start(TimeSpan interval, CancellationToken ct) => Running = LoopAsync(interval, ct);

    public void Acknowledged() => _awaitingAck = false;

    public async Task BeatAsync(CancellationToken ct)
    {
        _awaitingAck = true;
        await connection.Transport.SendAsync(GatewayPayloads.Heartbeat(session.LastSequence), ct).ConfigureAwait(false);
    }

    private async Task LoopAsync(TimeSpan interval, CancellationToken ct)
    {
        try
        {
            var delay = interval * random(); // first beat jittered, as documented
            while (true)
            {
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
                if (_awaitingAck)
                {
                    logger.LogWarning("No heartbeat ACK from Discord within {Seconds:F1}s: the connection is a zombie; reconnecting to resume.",
                        interval.TotalSeconds);
                    await connection.CloseForAsync(new GatewayOutcome(GatewayNext.Resume)).ConfigureAwait(false);
                    return;
                }
                await BeatAsync(ct).ConfigureAwait(false);
                delay = interval;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogDebug("Heartbeat send failed ({Error}); dropping the connection.", ex.Message);
            connection.Transport.Abort();
        }
    }
}
