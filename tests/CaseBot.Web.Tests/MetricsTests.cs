using CaseBot.Web.Metrics;
using Prometheus;

namespace CaseBot.Web.Tests;

public sealed class MetricsTests
{
    private static async Task<string> Scrape(PrometheusBotMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Adapter_reports_become_prometheus_series()
    {
        var m = new PrometheusBotMetrics();
        m.QuestionAnswered("discord", true, TimeSpan.FromMilliseconds(40));
        m.QuestionAnswered("slack", false, TimeSpan.FromMilliseconds(5));
        m.Reindexed(true);
        m.Reindexed(false);
        m.Reconnected("discord");
        m.RateLimitWaited("slack", TimeSpan.FromSeconds(1.5));
        m.RateLimitWaited("slack", TimeSpan.FromSeconds(0.5));

        var text = await Scrape(m);
        Assert.Contains("casebot_questions_total{platform=\"discord\",outcome=\"answered\"} 1", text);
        Assert.Contains("casebot_questions_total{platform=\"slack\",outcome=\"declined\"} 1", text);
        Assert.Contains("casebot_answer_latency_seconds_bucket{platform=\"discord\",le=\"0.064\"} 1", text);
        Assert.Contains("casebot_answer_latency_seconds_bucket{platform=\"discord\",le=\"0.032\"} 0", text);
        Assert.Contains("casebot_reindexes_total{result=\"succeeded\"} 1", text);
        Assert.Contains("casebot_reindexes_total{result=\"failed\"} 1", text);
        Assert.Contains("casebot_reconnects_total{platform=\"discord\"} 1", text);
        Assert.Contains("casebot_rate_limit_waits_total{platform=\"slack\"} 2", text);
        Assert.Contains("casebot_rate_limit_wait_seconds_total{platform=\"slack\"} 2", text);
    }

    [Fact]
    public async Task Two_hosts_do_not_share_counts()
    {
        var a = new PrometheusBotMetrics();
        var b = new PrometheusBotMetrics();
        a.Reconnected("discord");
        Assert.DoesNotContain("casebot_reconnects_total{platform=\"discord\"} 1", await Scrape(b));
    }
}
