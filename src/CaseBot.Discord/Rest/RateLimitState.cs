namespace CaseBot.Discord.Rest;

/// <summary>One bucket as the headers last described it. Requests in a bucket run one at a time (the gate) so each
/// sees the headers of the one before.</summary>
internal sealed class BucketState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
    public int? Remaining { get; set; }
    public DateTimeOffset ResetAt { get; set; }
}

/// <summary>The bot-wide limits: a pause after a global 429, and Discord's 50 requests per second.</summary>
internal sealed class GlobalLimiter(TimeProvider time, int perSecond = 50)
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _recent = new();
    private DateTimeOffset _pausedUntil;

    public void PauseUntil(DateTimeOffset until)
    {
        lock (_lock) if (until > _pausedUntil) _pausedUntil = until;
    }

    /// <summary>How long to wait before the next request may go; records the request when the answer is zero.
    /// Interaction callbacks are exempt from the global limit, its pause included: holding them would miss
    /// Discord's 3-second window.</summary>
    public TimeSpan TryAcquire(bool exempt)
    {
        if (exempt) return TimeSpan.Zero;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now < _pausedUntil) return _pausedUntil - now;
            while (_recent.Count > 0 && now - _recent.Peek() >= TimeSpan.FromSeconds(1)) _recent.Dequeue();
            if (_recent.Count >= perSecond) return _recent.Peek() + TimeSpan.FromSeconds(1) - now;
            _recent.Enqueue(now);
            return TimeSpan.Zero;
        }
    }
}
