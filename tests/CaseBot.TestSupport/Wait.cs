using Microsoft.Extensions.Time.Testing;

namespace CaseBot.TestSupport;

/// <summary>Bounded waits: every test ends quickly, failing with a timeout instead of hanging. They wait for
/// something to happen; they never sleep and then assert that nothing did.</summary>
public static class Wait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    /// <param name="poll">Real time between checks (10 ms unless told; 1 ms for drivers that wait for each of
    /// thousands of inputs in turn).</param>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met in time.");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>Moves virtual time forward in <paramref name="step"/>s, letting real work run between steps, until
    /// <paramref name="condition"/> holds. Steps are small against the intervals under test, so the order of timers
    /// is kept. <paramref name="pause"/> is the real time given to work between steps (10 ms unless told).</summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider clock, Func<bool> condition, TimeSpan step, TimeSpan? timeout = null,
        TimeSpan? pause = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Condition not met in time (virtual clock at {clock.GetUtcNow():O}).");
            clock.Advance(step);
            await Task.Delay(pause ?? TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>
    /// Like <see cref="AdvanceUntilAsync"/>, for work that mixes the clock with real loopback I/O: a step is taken only
    /// once all <paramref name="unfinished"/> pieces of work wait on the clock's timers. A fixed real pause is too
    /// short on a loaded machine; virtual time then passes while a request is on its way, and the fake records it
    /// later than it was sent.
    /// </summary>
    /// <param name="unfinished">Pieces of work not yet done, each waiting on at most one of the clock's timers at a time.</param>
    public static async Task AdvanceWhenParkedAsync(this ParkingClock clock, Func<bool> condition, Func<int> unfinished, TimeSpan step,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met in time ({clock.Waiting} of {unfinished()} waiting on the clock, virtual clock at {clock.GetUtcNow():O}).");
            // Read before the timers: between the two reads work can only park or finish (only Advance wakes it).
            var working = unfinished();
            if (clock.Waiting >= working)
                clock.Advance(step);
            else
                await Task.Delay(TimeSpan.FromMilliseconds(1));
        }
    }
}
