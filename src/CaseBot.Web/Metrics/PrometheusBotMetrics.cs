using CaseBot.Core.Hosting;
using Prometheus;

namespace CaseBot.Web.Metrics;

/// <summary>
/// The host's <see cref="IBotMetrics"/>, exported at <c>/metrics</c>. Each host owns its registry (not
/// prometheus-net's static default) so two hosts in one process — tests, or a future multi-tenant host — never
/// mix their counts.
/// </summary>
public sealed class PrometheusBotMetrics : IBotMetrics
{
    private readonly Counter _questions;
    private readonly Histogram _latency;
    private readonly Counter _refused;
    private readonly Counter _reindexes;
    private readonly Counter _reconnects;
    private readonly Counter _rateLimitWaits;
    private readonly Counter _rateLimitWaitSeconds;

    public PrometheusBotMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _questions = factory.CreateCounter("casebot_questions_total",
            "Questions handled, by platform and outcome (answered or declined).", "platform", "outcome");
        _latency = factory.CreateHistogram("casebot_answer_latency_seconds",
            "Time from question to answer, by platform.",
            new HistogramConfiguration { LabelNames = ["platform"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        _refused = factory.CreateCounter("casebot_questions_refused_total",
            "Questions the gate refused, by platform and reason (rate_limit, channel).", "platform", "reason");
        _reindexes = factory.CreateCounter("casebot_reindexes_total", "Reindexes, by result (succeeded, failed).", "result");
        _reconnects = factory.CreateCounter("casebot_reconnects_total", "Chat connections re-established, by platform.", "platform");
        _rateLimitWaits = factory.CreateCounter("casebot_rate_limit_waits_total",
            "Times an adapter waited for a platform rate limit, by platform.", "platform");
        _rateLimitWaitSeconds = factory.CreateCounter("casebot_rate_limit_wait_seconds_total",
            "Seconds spent waiting for platform rate limits, by platform.", "platform");
        IndexDocuments = factory.CreateGauge("casebot_index_documents", "Documents in the live index.");
        AdapterConnected = factory.CreateGauge("casebot_adapter_connected", "1 when the platform adapter is connected.", "platform");
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Refreshed just before each scrape by the host.</summary>
    internal Gauge IndexDocuments { get; }

    internal Gauge AdapterConnected { get; }

    public void QuestionAnswered(string platform, bool answered, TimeSpan latency)
    {
        _questions.WithLabels(platform, answered ? "answered" : "declined").Inc();
        _latency.WithLabels(platform).Observe(latency.TotalSeconds);
    }

    public void QuestionRefused(string platform, string reason) => _refused.WithLabels(platform, reason).Inc();

    public void Reindexed(bool succeeded) => _reindexes.WithLabels(succeeded ? "succeeded" : "failed").Inc();

    public void Reconnected(string platform) => _reconnects.WithLabels(platform).Inc();

    public void RateLimitWaited(string platform, TimeSpan wait)
    {
        _rateLimitWaits.WithLabels(platform).Inc();
        _rateLimitWaitSeconds.WithLabels(platform).Inc(Math.Max(0, wait.TotalSeconds));
    }
}
