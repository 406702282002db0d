using CaseBot.Insights.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Insights;

/// <summary>Purges questions and votes older than <see cref="InsightsOptions.RetentionDays"/> at start-up and then daily.</summary>
public sealed class RetentionService(IInsightStore store, IOptions<InsightsOptions> options, TimeProvider time, ILogger<RetentionService> log)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromDays(1);

    /// <summary>Deletes what is older than the retention period as of now; returns how many rows went.</summary>
    public static Task<int> PurgeAsync(IInsightStore store, InsightsOptions options, TimeProvider time, CancellationToken ct = default) =>
        store.PurgeAsync(time.GetUtcNow() - TimeSpan.FromDays(options.RetentionDays), ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                var n = await PurgeAsync(store, options.Value, time, stoppingToken).ConfigureAwait(false);
                if (n > 0) log.LogInformation("Insights: purged {Rows} rows older than {Days} days.", n, options.Value.RetentionDays);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Insights: purge failed, will retry: {Reason}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
