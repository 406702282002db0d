using System.Collections.Concurrent;

namespace CaseBot.Slack.WebApi;

/// <summary>
/// Keeps to Slack's "about one message per second per channel" by handing out send slots: each call reserves the
/// next free slot of its channel and learns how long to wait for it. Other channels are not held up.
/// </summary>
internal sealed class ChannelPacer(TimeProvider time, TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextFree = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public TimeSpan Reserve(string channel)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var slot = _nextFree.TryGetValue(channel, out var next) && next > now ? next : now;
            _nextFree[channel] = slot + interval;
            if (_nextFree.Count > 10_000) Prune(now);
            return slot - now;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, next) in _nextFree)
            if (next <= now) _nextFree.TryRemove(key, out _);
    }
}
