using CaseBot.Adapters;
using CaseBot.Slack.Events;
using CaseBot.Slack.Options;
using CaseBot.Slack.SocketMode;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Hosting;

/// <summary>
/// Runs the adapter: learns CaseBot's own identity (<c>auth.test</c>), starts the answer workers and, in Socket
/// Mode, the WebSocket client. A token Slack refuses stops the adapter (logged, reported not ready), not the host:
/// other adapters and the web console keep running.
/// </summary>
internal sealed class SlackHostedService(
    IServiceProvider services,
    SlackWebApiClient api,
    SlackIdentity identity,
    SlackWorkQueue queue,
    SlackAdapter adapter,
    IOptions<SlackOptions> options,
    IOptions<HostOptions> host,
    TimeProvider time,
    ILogger<SlackHostedService> log) : BackgroundService
{
    /// <summary>On stop: take no new work (envelopes go unacknowledged, so Slack redelivers them), let the questions
    /// already acknowledged be answered within the host's shutdown budget, then close the socket with a close frame.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!await queue.StopAsync(WorkDispatcher.DrainBudget(host.Value.ShutdownTimeout), cancellationToken))
            log.LogWarning("Slack: some acknowledged questions could not be answered within the shutdown budget");
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var o = options.Value;
        log.LogInformation("Slack adapter starting: {Options}", o);
        try
        {
            if (!await AuthenticateAsync(o, ct)) return;
            adapter.MarkAuthenticated();
            if (o.EffectiveMode == SlackMode.SocketMode)
                await services.GetRequiredService<SocketModeClient>().RunAsync(ct);
            else
                await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>auth.test, retried with backoff on network trouble; false when Slack refuses the bot token.</summary>
    private async Task<bool> AuthenticateAsync(SlackOptions o, CancellationToken ct)
    {
        var backoff = new JitteredBackoff(o.ReconnectBaseDelay, o.ReconnectMaxDelay);
        for (var failures = 1; ; failures++)
        {
            try
            {
                var (userId, botId) = await api.AuthTestAsync(ct);
                identity.BotUserId = userId;
                identity.BotId = botId;
                log.LogInformation("Slack bot is user {UserId} (bot {BotId}), mode {Mode}", userId, botId, o.EffectiveMode);
                return true;
            }
            catch (SlackAuthException ex)
            {
                log.LogError("Slack adapter stopped: {Reason}", ex.Message);
                return false;
            }
            catch (SlackApiException ex)
            {
                var delay = backoff.Delay(failures);
                log.LogWarning("Slack auth.test failed ({Reason}); retrying in {Delay:0.0}s", ex.Error, delay.TotalSeconds);
                await Task.Delay(delay, time, ct);
            }
        }
    }
}
