using CaseBot.Core.Hosting;

namespace CaseBot.TestSupport;

/// <summary>An <see cref="IBotMetrics"/> that remembers every report, for asserting what was counted (and how often).</summary>
public sealed class RecordingMetrics : IBotMetrics
{
    private readonly Lock _lock = new();
    private readonly List<(string Platform, bool Answered, TimeSpan Latency)> _answers = [];
    private readonly List<TimeSpan> _waits = [];
    private readonly List<bool> _reindexes = [];
    private int _reconnects;

    public IReadOnlyList<(string Platform, bool Answered, TimeSpan Latency)> Answers { get { lock (_lock) return _answers.ToList(); } }
    public IReadOnlyList<TimeSpan> RateLimitWaits { get { lock (_lock) return _waits.ToList(); } }
    public IReadOnlyList<bool> Reindexes { get { lock (_lock) return _reindexes.ToList(); } }
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Every report as an exporter would publish it, one line each (labels and values): for the secrets sweep.</summary>
    public IEnumerable<string> Export() =>
        Answers.Select(a => $"casebot_questions{{platform=\"{a.Platform}\",answered=\"{a.Answered}\"}} {a.Latency.TotalSeconds}")
            .Concat(RateLimitWaits.Select(w => $"casebot_rate_limit_wait_seconds {w.TotalSeconds}"))
            .Concat(Reindexes.Select(r => $"casebot_reindexes{{succeeded=\"{r}\"}} 1"))
            .Append($"casebot_reconnects {Reconnects}");

    public void QuestionAnswered(string platform, bool answered, TimeSpan latency) { lock (_lock) _answers.Add((platform, answered, latency)); }
    public void Reindexed(bool succeeded) { lock (_lock) _reindexes.Add(succeeded); }
    public void Reconnected(string platform) => Interlocked.Increment(ref _reconnects);
    public void RateLimitWaited(string platform, TimeSpan wait) { lock (_lock) _waits.Add(wait); }
}
