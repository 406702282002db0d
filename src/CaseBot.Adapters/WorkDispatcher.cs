using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CaseBot.Adapters;

/// <summary>
/// Where an adapter's accepted events go to be handled, off the socket read loop and off HTTP requests: a bounded
/// queue served by a few workers. The one shutdown policy of every adapter: on <see cref="StopAsync"/> it takes no
/// new work, lets what it accepted finish within the host's shutdown budget, and only then cancels the work's token —
/// its own token, never the host's stopping token, so a question acknowledged a moment before SIGTERM is still
/// answered. Each adapter derives its own (one per adapter in a host that runs several).
/// Work that is about to wait on a platform's pacing (a channel's next send slot, a <c>Retry-After</c>) calls
/// <see cref="YieldSlot"/>: its place goes to the next item, so one busy channel cannot hold every worker while others
/// wait. It still counts as accepted (against the capacity, and in the drain on stop) until it finishes.
/// </summary>
public class WorkDispatcher : IDisposable
{
    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _items;
    private readonly CancellationTokenSource _abandon = new();
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private static readonly AsyncLocal<Slot?> CurrentSlot = new();
    private readonly SemaphoreSlim _slots;
    private readonly Task _dispatch;
    private int _waiting;
    private int _running;
    private int _yielded;
    private long _completed;
    private volatile bool _stopping;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="workers">How many items run at once.</param>
    /// <param name="capacity">How many accepted items may wait; beyond it <see cref="TryEnqueue"/> refuses.</param>
    protected WorkDispatcher(int workers, int capacity, TimeProvider time, ILogger log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _time = time;
        _log = log;
        _items = Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        _slots = new SemaphoreSlim(workers, workers);
        _dispatch = Task.Run(DispatchAsync);
    }

    /// <summary>One item's place among the workers, given back once: when it yields, or when it finishes.</summary>
    private sealed class Slot(WorkDispatcher owner)
    {
        private int _released;
        public WorkDispatcher Owner => owner;

        public bool Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return false;
            owner._slots.Release();
            return true;
        }
    }

    /// <summary>
    /// Called by running work before it waits on a platform's pacing: gives its place to the next item (the places
    /// bound the answering, not the waiting). Once per item; nothing outside work run by a dispatcher.
    /// </summary>
    public static void YieldSlot()
    {
        if (CurrentSlot.Value is { } slot && slot.Release()) Interlocked.Increment(ref slot.Owner._yielded);
    }

    /// <summary>Items finished (done, failed or abandoned) so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>False once stopping began, or when the queue is full: an adapter checks it before it acknowledges
    /// an event, so that load is shed before the platform considers the event delivered, never silently after.</summary>
    public bool CanAccept => !_stopping && Volatile.Read(ref _waiting) + Volatile.Read(ref _yielded) < _capacity;

    /// <summary>Queues <paramref name="work"/>; false (and nothing queued) when stopping or full.</summary>
    public bool TryEnqueue(string what, Func<CancellationToken, Task> work)
    {
        if (_stopping) return false;
        if (Volatile.Read(ref _yielded) + Volatile.Read(ref _waiting) >= _capacity)
        {
            _log.LogWarning("Work queue full or stopping: refused {What}", what);
            return false;
        }
        Interlocked.Increment(ref _waiting);
        if (_items.Writer.TryWrite((what, work))) return true;
        Interlocked.Decrement(ref _waiting);
        _log.LogWarning("Work queue full or stopping: refused {What}", what);
        return false;
    }

    /// <summary>
    /// Stops taking work, waits for every accepted item to finish, at most <paramref name="drainTimeout"/> (measured
    /// on the dispatcher's clock) and never past <paramref name="hostGivesUp"/>; then cancels what is still running
    /// and waits for the workers to notice. Returns true when everything finished in time.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan drainTimeout, CancellationToken hostGivesUp = default)
    {
        _stopping = true;
        _items.Writer.TryComplete();
        var all = DrainedAsync();
        try
        {
            await all.WaitAsync(drainTimeout, _time, hostGivesUp).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _log.LogWarning("Work still running after {Seconds:0.#} s of shutdown: cancelling it", drainTimeout.TotalSeconds);
            await _abandon.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return false;
        }
    }

    /// <summary>Without a stop (a host that never started): takes no more work and cancels what runs, so no worker is left waiting.</summary>
    public void Dispose()
    {
        _stopping = true;
        _items.Writer.TryComplete();
        _abandon.Cancel();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts each queued item, in order, as soon as a place is free.</summary>
    private async Task DispatchAsync()
    {
        while (await _items.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            if (!_items.Reader.TryRead(out var item))
            {
                _slots.Release();
                continue;
            }
            Interlocked.Decrement(ref _waiting);
            Interlocked.Increment(ref _running);
            _ = Task.Run(() => RunAsync(item.What, item.Work));
        }
    }

    private async Task RunAsync(string what, Func<CancellationToken, Task> work)
    {
        var token = _abandon.Token;
        var slot = new Slot(this);
        CurrentSlot.Value = slot;
        try
        {
            if (!token.IsCancellationRequested) await work(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _log.LogWarning("{What} abandoned: shutdown budget spent", what);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{What} failed", what);
        }
        finally
        {
            if (!slot.Release()) Interlocked.Decrement(ref _yielded);
            Interlocked.Decrement(ref _running);
            MarkCompleted();
        }
    }

    /// <summary>Completes when the queue is closed and empty and every started item has finished.</summary>
    private async Task DrainedAsync()
    {
        await _dispatch.ConfigureAwait(false);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (Volatile.Read(ref _running) == 0) return;
                changed = _changed.Task;
            }
            await changed.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The drain budget of a host's stop: its <see cref="Microsoft.Extensions.Hosting.HostOptions.ShutdownTimeout"/>
    /// less a moment to close sockets with a real close frame afterwards.
    /// </summary>
    public static TimeSpan DrainBudget(TimeSpan shutdownTimeout) =>
        shutdownTimeout > TimeSpan.FromSeconds(4) ? shutdownTimeout - TimeSpan.FromSeconds(2) : shutdownTimeout / 2;

    private void MarkCompleted()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            _completed++;
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    /// <summary>Completes once at least <paramref name="count"/> items have finished (tests wait on it instead of sleeping).</summary>
    public async Task WaitForCompletedAsync(long count, CancellationToken ct = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_completed >= count) return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }
}
