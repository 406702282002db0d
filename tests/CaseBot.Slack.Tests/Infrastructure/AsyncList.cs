namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>A thread-safe list whose readers can wait (with a timeout) for items matching a condition.</summary>
internal sealed class AsyncList<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(T item)
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            _items.Add(item);
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    /// <summary>Drops every item (a soak's records, once checked).</summary>
    public void Clear()
    {
        lock (_gate) _items.Clear();
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate) return _items.ToList();
    }

    /// <summary>Waits until <paramref name="count"/> items match; returns them.</summary>
    public async Task<IReadOnlyList<T>> WaitForCountAsync(Func<T, bool> match, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _items.Where(match).ToList();
                if (found.Count >= count) return found;
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"waited {timeout ?? TimeSpan.FromSeconds(10)} for {count} matching item(s); have: {string.Join(" | ", Snapshot())}");
            }
        }
    }

    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan? timeout = null) => (await WaitForCountAsync(match, 1, timeout))[0];
}
