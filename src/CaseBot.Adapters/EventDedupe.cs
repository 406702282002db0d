using System.Collections.Concurrent;

namespace CaseBot.Adapters;

/// <summary>
/// Remembers event ids long enough to cover a platform's redeliveries (Slack's HTTP retries come after 1 and 5
/// minutes; a Discord resume replays missed events), so each event is handled once. Ids older than
/// <c>keep</c> are forgotten (a genuine repeat id is then new again); above <c>capacity</c> the oldest go first.
/// </summary>
public class EventDedupe(TimeProvider time, TimeSpan keep, int capacity = 5_000)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>True the first time an id is seen (within the window); false for a redelivery.</summary>
    public bool FirstTime(string id)
    {
        var now = time.GetUtcNow();
        Prune(now);
        if (_seen.TryAdd(id, now))
        {
            _order.Enqueue(id);
            return true;
        }
        // An id older than the window is treated as new: the platform no longer retries it, so it is a genuine repeat.
        if (_seen.TryGetValue(id, out var first) && now - first > keep)
        {
            _seen[id] = now;
            _order.Enqueue(id);
            return true;
        }
        return false;
    }

    internal int Count => _seen.Count;

    private void Prune(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest))
        {
            var expired = !_seen.TryGetValue(oldest, out var at) || now - at > keep;
            if (!expired && _seen.Count < capacity) return;
            if (!_order.TryDequeue(out oldest)) return;
            // A re-seen id has a newer entry further back in the queue: keep it while its time is fresh.
            if (_seen.TryGetValue(oldest, out at) && (now - at > keep || _seen.Count >= capacity)) _seen.TryRemove(oldest, out _);
        }
    }
}
