using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Adapters.Tests;

public sealed class EventDedupeTests
{
    [Fact]
    public void A_redelivery_within_the_window_is_refused_and_the_same_id_after_it_is_new()
    {
        var clock = new FakeTimeProvider();
        var dedupe = new EventDedupe(clock, TimeSpan.FromMinutes(15));

        Assert.True(dedupe.FirstTime("Ev1"));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(dedupe.FirstTime("Ev1"));
        Assert.True(dedupe.FirstTime("Ev2"));
        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.True(dedupe.FirstTime("Ev1"));
    }

    [Fact]
    public void Memory_is_bounded_by_the_capacity_oldest_forgotten_first()
    {
        var dedupe = new EventDedupe(new FakeTimeProvider(), TimeSpan.FromHours(1), capacity: 100);

        for (var i = 0; i < 1_000; i++) Assert.True(dedupe.FirstTime("id" + i));

        Assert.InRange(dedupe.Count, 1, 101);
        Assert.False(dedupe.FirstTime("id999"));
        Assert.True(dedupe.FirstTime("id0"));
    }

    [Fact]
    public void Expired_ids_are_pruned_as_new_ones_arrive()
    {
        var clock = new FakeTimeProvider();
        var dedupe = new EventDedupe(clock, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 50; i++) dedupe.FirstTime("old" + i);

        clock.Advance(TimeSpan.FromMinutes(2));
        dedupe.FirstTime("new");

        Assert.Equal(1, dedupe.Count);
    }
}
