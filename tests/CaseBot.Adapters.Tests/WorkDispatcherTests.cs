using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Adapters.Tests;

public sealed class WorkDispatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private sealed class Dispatcher(int workers, int capacity, TimeProvider time)
        : WorkDispatcher(workers, capacity, time, NullLogger.Instance);

    [Fact]
    public async Task Stopping_takes_no_new_work_but_finishes_the_accepted_work_on_its_own_token()
    {
        var clock = new FakeTimeProvider();
        var queue = new Dispatcher(1, 10, clock);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new List<string>();
        CancellationToken seen = default;
        Assert.True(queue.TryEnqueue("first", async ct =>
        {
            seen = ct;
            started.SetResult();
            await release.Task;
            lock (finished) finished.Add("first");
        }));
        Assert.True(queue.TryEnqueue("second", _ => { lock (finished) finished.Add("second"); return Task.CompletedTask; }));
        await started.Task.WaitAsync(Bound);

        var stopping = queue.StopAsync(TimeSpan.FromSeconds(20));
        Assert.False(queue.CanAccept);
        Assert.False(queue.TryEnqueue("late", _ => Task.CompletedTask));
        Assert.False(stopping.IsCompleted);
        Assert.False(seen.IsCancellationRequested);

        release.SetResult();
        Assert.True(await stopping.WaitAsync(Bound));
        Assert.Equal(["first", "second"], finished);
    }

    [Fact]
    public async Task Work_still_running_when_the_drain_budget_is_spent_is_cancelled()
    {
        var clock = new FakeTimeProvider();
        var queue = new Dispatcher(1, 10, clock);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        queue.TryEnqueue("stuck", async ct =>
        {
            started.SetResult();
            try { await Task.Delay(Timeout.InfiniteTimeSpan, ct); }
            catch (OperationCanceledException) { cancelled = true; throw; }
        });
        await started.Task.WaitAsync(Bound);

        var stopping = queue.StopAsync(TimeSpan.FromSeconds(20));
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(stopping.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.False(await stopping.WaitAsync(Bound));
        Assert.True(cancelled);
        Assert.Equal(1, queue.Completed);
    }

    [Fact]
    public async Task The_host_giving_up_ends_the_drain_even_on_a_clock_that_never_moves()
    {
        var queue = new Dispatcher(1, 10, new FakeTimeProvider());
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.TryEnqueue("stuck", async ct => { started.SetResult(); await Task.Delay(Timeout.InfiniteTimeSpan, ct); });
        await started.Task.WaitAsync(Bound);
        using var host = new CancellationTokenSource();

        var stopping = queue.StopAsync(TimeSpan.FromMinutes(1), host.Token);
        host.Cancel();

        Assert.False(await stopping.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_full_queue_refuses_new_work_before_it_is_acknowledged()
    {
        var queue = new Dispatcher(1, 2, new FakeTimeProvider());
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.TryEnqueue("running", async _ => { started.SetResult(); await release.Task; });
        await started.Task.WaitAsync(Bound);

        Assert.True(queue.TryEnqueue("waiting 1", _ => Task.CompletedTask));
        Assert.True(queue.TryEnqueue("waiting 2", _ => Task.CompletedTask));
        Assert.False(queue.CanAccept);
        Assert.False(queue.TryEnqueue("one too many", _ => Task.CompletedTask));

        release.SetResult();
        await queue.WaitForCompletedAsync(3).WaitAsync(Bound);
        Assert.True(queue.CanAccept);
    }

    [Fact]
    public async Task Work_that_yields_its_slot_to_wait_lets_the_next_item_run_and_still_counts_until_it_finishes()
    {
        var queue = new Dispatcher(1, 2, TimeProvider.System);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(queue.TryEnqueue("paced", async _ =>
        {
            WorkDispatcher.YieldSlot(); // about to wait for a platform's pacing
            WorkDispatcher.YieldSlot(); // once per item: a second call gives nothing more
            waiting.SetResult();
            await paced.Task;
        }));
        await waiting.Task.WaitAsync(Bound);
        Assert.True(queue.TryEnqueue("next", _ => { secondRan.SetResult(); return Task.CompletedTask; }));
        await secondRan.Task.WaitAsync(Bound); // the one worker's place went to it

        // The yielded item is still accepted work: it counts against the capacity (2) and the drain waits for it.
        Assert.True(queue.TryEnqueue("third", _ => Task.CompletedTask));
        await queue.WaitForCompletedAsync(2).WaitAsync(Bound);
        var fourthWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(queue.TryEnqueue("fourth", async _ =>
        {
            WorkDispatcher.YieldSlot();
            fourthWaiting.SetResult();
            await paced.Task;
        }));
        await fourthWaiting.Task.WaitAsync(Bound);
        Assert.False(queue.CanAccept); // two yielded items, both still waiting: the capacity is used
        Assert.False(queue.TryEnqueue("over", _ => Task.CompletedTask));
        var stopping = queue.StopAsync(TimeSpan.FromSeconds(20));
        Assert.False(stopping.IsCompleted);
        paced.SetResult();
        Assert.True(await stopping.WaitAsync(Bound));
        Assert.Equal(4, queue.Completed);
    }

    [Fact]
    public void Yielding_outside_dispatched_work_does_nothing() => WorkDispatcher.YieldSlot();

    [Fact]
    public async Task A_failing_item_is_logged_and_the_worker_goes_on()
    {
        var queue = new Dispatcher(1, 10, new FakeTimeProvider());
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.TryEnqueue("boom", _ => throw new InvalidOperationException("boom"));
        queue.TryEnqueue("after", _ => { ran.SetResult(); return Task.CompletedTask; });

        await ran.Task.WaitAsync(Bound);
        await queue.WaitForCompletedAsync(2).WaitAsync(Bound);
    }

    [Fact]
    public async Task Disposing_without_a_stop_cancels_running_work_and_refuses_more()
    {
        var queue = new Dispatcher(1, 10, new FakeTimeProvider());
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.TryEnqueue("stuck", async ct => { started.SetResult(); await Task.Delay(Timeout.InfiniteTimeSpan, ct); });
        await started.Task.WaitAsync(Bound);

        queue.Dispose();

        await queue.WaitForCompletedAsync(1).WaitAsync(Bound);
        Assert.False(queue.TryEnqueue("late", _ => Task.CompletedTask));
    }

    [Theory]
    [InlineData(20, 18)]
    [InlineData(2, 1)]
    public void The_drain_budget_leaves_time_to_close_sockets(int shutdownSeconds, double drainSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(drainSeconds), WorkDispatcher.DrainBudget(TimeSpan.FromSeconds(shutdownSeconds)));
}
