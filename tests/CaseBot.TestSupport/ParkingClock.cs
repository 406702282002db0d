using Microsoft.Extensions.Time.Testing;

namespace CaseBot.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts its one-shot timers still waiting to fire (a <c>Task.Delay</c> on it):
/// how much of the work under test is parked on the clock. A driver that advances only when all of it is parked
/// (<see cref="Wait.AdvanceWhenParkedAsync"/>) never moves virtual time while a request is still on its way.
/// </summary>
public sealed class ParkingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _waiting;

    /// <summary>One-shot timers armed and neither fired, disarmed nor disposed.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Periodic timers never settle, so they cannot say whether work is parked: left uncounted.
        if (period != Timeout.InfiniteTimeSpan) return base.CreateTimer(callback, state, dueTime, period);
        var timer = new Counted(this, dueTime != Timeout.InfiniteTimeSpan);
        // Disarmed before the callback runs, inside Advance: the driver sees the work running again as soon as
        // Advance returns, never a stale "parked".
        timer.Inner = base.CreateTimer(s => { timer.Disarm(); callback(s); }, state, dueTime, period);
        return timer;
    }

    private sealed class Counted : ITimer
    {
        private readonly ParkingClock _clock;
        private int _armed;

        public Counted(ParkingClock clock, bool armed)
        {
            _clock = clock;
            if (armed) Arm();
        }

        public ITimer? Inner { get; set; }

        private void Arm()
        {
            if (Interlocked.Exchange(ref _armed, 1) == 0) Interlocked.Increment(ref _clock._waiting);
        }

        public void Disarm()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1) Interlocked.Decrement(ref _clock._waiting);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || period != Timeout.InfiniteTimeSpan) Disarm(); else Arm();
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            Disarm();
            Inner!.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Disarm();
            return Inner!.DisposeAsync();
        }
    }
}
