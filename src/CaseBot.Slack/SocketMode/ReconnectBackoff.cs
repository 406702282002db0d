namespace CaseBot.Slack.SocketMode;

/// <summary>
/// Capped exponential backoff with jitter: <c>base × 2^(n−1)</c>, at most <c>max</c>, then scaled into
/// [50 %, 100 %] so many bots that lost Slack together do not come back in lockstep.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <param name="failures">Consecutive failures so far, from 1.</param>
    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var raw = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(raw * (0.5 + 0.5 * _random()));
    }
}
