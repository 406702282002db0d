using CaseBot.Adapters;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Events;
using CaseBot.Slack.Options;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.SocketMode;

/// <summary>
/// Keeps one live Socket Mode link. On a <c>disconnect</c> asking us to move (<c>refresh_requested</c>,
/// <c>warning</c>, …) the new link is opened first and the old one closed once the new one said <c>hello</c>, so
/// nothing falls in between. <c>too_many_websockets</c> closes first and backs off (another socket would make it
/// worse); a dropped or quiet socket is replaced, with capped, jittered backoff when links keep failing.
/// <c>link_disabled</c> and a refused token stop the client: retrying cannot help.
/// </summary>
internal sealed class SocketModeClient(
    SlackWebApiClient api,
    ISocketModeTransport transport,
    ISocketModeEnvelopeHandler handler,
    SlackWorkQueue queue,
    IOptions<SlackOptions> options,
    TimeProvider time,
    IBotMetrics metrics,
    ILogger<SocketModeClient> log)
{
    /// <summary>A link that lived this long was healthy: its end does not count towards backoff.</summary>
    internal static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    private volatile SocketModeConnection? _current;
    private int _opened;

    public bool IsConnected => _current?.IsUp == true;

    /// <summary>Set when the client gave up for good, with the reason (for logs and status).</summary>
    public string? StopReason { get; private set; }

    internal int ConnectionsOpened => Volatile.Read(ref _opened);

    public async Task RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var backoff = new JitteredBackoff(o.ReconnectBaseDelay, o.ReconnectMaxDelay);
        var failures = 0;
        var everConnected = false;
        SocketModeConnection? current = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                SocketModeConnection next;
                try
                {
                    next = await OpenAsync(ct);
                }
                catch (SlackAuthException ex)
                {
                    Stop(ex.Message);
                    return;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    failures++;
                    var delay = backoff.Delay(failures);
                    log.LogWarning("Slack Socket Mode connect failed ({Reason}); retry {Failures} in {Delay:0.0}s",
                        ex.Message, failures, delay.TotalSeconds);
                    await Task.Delay(delay, time, ct);
                    continue;
                }

                // The old link (if Slack asked us to move) kept reading until now; close it only after the new one is up.
                if (current is not null) await current.CloseAsync();
                current = next;
                _current = next;
                if (everConnected) metrics.Reconnected(SlackWebApiClient.Platform);
                everConnected = true;
                var upSince = time.GetUtcNow();

                var end = await current.Ended.WaitAsync(ct);
                var lived = time.GetUtcNow() - upSince;
                failures = lived >= StableAfter ? 0 : failures;

                if (end.IsDisconnectMessage && end.Reason == "link_disabled")
                {
                    Stop("Slack disabled Socket Mode for this app (link_disabled). Turn Socket Mode on in the app settings, or use HTTP mode, then restart.");
                    return;
                }
                if (end.IsDisconnectMessage && end.Reason != "too_many_websockets")
                    continue; // refresh_requested, warning, …: open the next link while this one still delivers.

                await current.CloseAsync();
                current = null;
                if (end.IsDisconnectMessage || lived < StableAfter)
                {
                    failures++;
                    var delay = backoff.Delay(failures);
                    log.LogWarning("Slack Socket Mode link #{Id} ended ({Reason}); reconnecting in {Delay:0.0}s", next.Id, end.Reason, delay.TotalSeconds);
                    await Task.Delay(delay, time, ct);
                }
                else
                {
                    log.LogWarning("Slack Socket Mode link #{Id} ended ({Reason}); reconnecting", next.Id, end.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _current = null;
            if (current is not null) await current.CloseAsync();
        }
    }

    /// <summary>apps.connections.open, connect, and wait for <c>hello</c>.</summary>
    private async Task<SocketModeConnection> OpenAsync(CancellationToken ct)
    {
        var url = await api.OpenConnectionAsync(ct);
        var id = Interlocked.Increment(ref _opened);
        // The URL carries a one-time ticket: log only where it goes, not the query.
        log.LogInformation("Slack Socket Mode link #{Id} connecting to {Host}", id, url.GetLeftPart(UriPartial.Path));
        var link = await transport.ConnectAsync(url, ct);
        var connection = new SocketModeConnection(id, link, handler, queue, log, ct);
        connection.Start();
        try
        {
            await connection.Hello.WaitAsync(options.Value.HelloTimeout, time, ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void Stop(string reason)
    {
        StopReason = reason;
        log.LogError("Slack Socket Mode stopped: {Reason}", reason);
    }
}
