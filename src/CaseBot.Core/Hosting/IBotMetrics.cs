namespace CaseBot.Core.Hosting;

/// <summary>
/// Counters the adapters report to; the host exports them (Prometheus). The default does nothing, so the core and
/// the adapters never depend on a metrics library.
/// </summary>
public interface IBotMetrics
{
    void QuestionAnswered(string platform, bool answered, TimeSpan latency);
    void Reindexed(bool succeeded);
    void Reconnected(string platform);
    void RateLimitWaited(string platform, TimeSpan wait);
}

public sealed class NullBotMetrics : IBotMetrics
{
    public static readonly NullBotMetrics Instance = new();
    public void QuestionAnswered(string platform, bool answered, TimeSpan latency) { }
    public void Reindexed(bool succeeded) { }
    public void Reconnected(string platform) { }
    public void RateLimitWaited(string platform, TimeSpan wait) { }
}
