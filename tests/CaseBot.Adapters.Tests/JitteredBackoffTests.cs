namespace CaseBot.Adapters.Tests;

public sealed class JitteredBackoffTests
{
    [Fact]
    public void Backoff_grows_from_the_base_is_capped_and_jittered_within_half()
    {
        var low = new JitteredBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), () => 0.0);
        var high = new JitteredBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), () => 0.999999);

        Assert.Equal(TimeSpan.FromSeconds(0.5), low.Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(4), low.Delay(4));
        Assert.Equal(TimeSpan.FromMinutes(1), low.Delay(50));
        Assert.InRange(high.Delay(1), TimeSpan.FromSeconds(0.99), TimeSpan.FromSeconds(1));
        Assert.InRange(high.Delay(8), TimeSpan.FromSeconds(119), TimeSpan.FromMinutes(2));
        Assert.InRange(high.Delay(1000), TimeSpan.FromSeconds(119), TimeSpan.FromMinutes(2));
    }
}
