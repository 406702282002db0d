namespace CaseBot.Adapters;

/// <summary>
/// Capped exponential backoff with jitter: <c>base × 2^(attempt−1)</c>, at most <c>max</c>, then scaled into
/// [50 %, 100 %] so many bots that lost their platform together do not come back in lockstep.
/// </summary>
public sealed class JitteredBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <param name="attempt">Consecutive failures so far, from 1.</param>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var raw = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(raw * (0.5 + 0.5 * _random()));
    }
}
