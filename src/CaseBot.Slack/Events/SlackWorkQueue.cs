using System.Threading.Channels;
using CaseBot.Slack.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Events;

/// <summary>
/// Where acknowledged envelopes and HTTP events go to be answered, off the socket read loop and off the HTTP
/// request, by a few workers. Counts finished items so tests can wait for "everything so far was handled".
/// </summary>
internal sealed class SlackWorkQueue(IOptions<SlackOptions> options, ILogger<SlackWorkQueue> log)
{
    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _items =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _gate = new();
    private long _completed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Completed => Interlocked.Read(ref _completed);

    public void Enqueue(string what, Func<CancellationToken, Task> work)
    {
        if (!_items.Writer.TryWrite((what, work)))
            log.LogWarning("Slack work queue full; dropped {What}", what);
    }

    /// <summary>Runs the workers until cancelled.</summary>
    public Task RunAsync(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.MaxConcurrentWork).Select(_ => WorkerAsync(ct)));

    private async Task WorkerAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (what, work) in _items.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await work(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    log.LogError(ex, "Slack {What} failed", what);
                }
                finally
                {
                    MarkCompleted();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

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

    /// <summary>Completes once at least <paramref name="count"/> items have finished.</summary>
    internal async Task WaitForCompletedAsync(long count, CancellationToken ct = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_completed >= count) return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(ct);
        }
    }
}
