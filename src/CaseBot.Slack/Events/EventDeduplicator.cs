using System.Collections.Concurrent;

namespace CaseBot.Slack.Events;

/// <summary>
/// Remembers event ids long enough to cover Slack's redeliveries (HTTP retries come after 1 and 5 minutes;
/// Socket Mode redelivers unacked envelopes on the next connection), so each event is answered once.
/// </summary>
internal sealed class EventDeduplicator(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(15);
    private const int PruneAbove = 5_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time an id is seen; false for a redelivery.</summary>
    public bool FirstTime(string id)
    {
        var now = time.GetUtcNow();
        if (_seen.Count > PruneAbove)
            foreach (var (key, at) in _seen)
                if (now - at > Keep) _seen.TryRemove(key, out _);

        if (_seen.TryAdd(id, now)) return true;
        // An id older than the window is treated as new: Slack no longer retries it, so it is a genuine repeat id.
        if (_seen.TryGetValue(id, out var first) && now - first > Keep)
        {
            _seen[id] = now;
            return true;
        }
        return false;
    }
}
