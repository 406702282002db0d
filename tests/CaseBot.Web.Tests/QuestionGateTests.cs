using CaseBot.Web.Metrics;
using CaseBot.Web.Moderation;
using CaseBot.Web.Options;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Web.Tests;

/// <summary>The per-user rate limit and the channel allow-list, in virtual time.</summary>
public sealed class QuestionGateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private ModerationQuestionGate Gate(int perUser = 3, double window = 30, string channels = "", PrometheusBotMetrics? metrics = null) =>
        new(Microsoft.Extensions.Options.Options.Create(new ModerationOptions
            { QuestionsPerUser = perUser, WindowSeconds = window, AllowedChannels = channels }), _time, metrics);

    [Fact]
    public void A_user_may_ask_the_limit_then_is_refused_with_a_friendly_wait()
    {
        var gate = Gate(perUser: 3, window: 30);
        for (var i = 0; i < 3; i++) Assert.True(gate.Check("discord", "u1", "c1").Allowed);

        var refused = gate.Evaluate("discord", "u1", "c1");
        Assert.False(refused.Decision.Allowed);
        Assert.Equal("rate_limit", refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        Assert.Contains("please wait 30 s", refused.Decision.Refusal);
    }

    [Fact]
    public void The_window_slides_so_the_oldest_question_frees_a_slot()
    {
        var gate = Gate(perUser: 2, window: 30);
        Assert.True(gate.Check("slack", "u1", null).Allowed);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(gate.Check("slack", "u1", null).Allowed);
        _time.Advance(TimeSpan.FromSeconds(19));
        var refused = gate.Evaluate("slack", "u1", null);
        Assert.False(refused.Decision.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(1)); // the first question is now 30 s old
        Assert.True(gate.Check("slack", "u1", null).Allowed);
        Assert.False(gate.Check("slack", "u1", null).Allowed);
    }

    [Fact]
    public void Refused_questions_do_not_use_up_the_allowance()
    {
        var gate = Gate(perUser: 1, window: 30);
        Assert.True(gate.Check("discord", "u1", null).Allowed);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(gate.Check("discord", "u1", null).Allowed);
        }
        _time.Advance(TimeSpan.FromSeconds(20)); // 30 s after the only allowed question
        Assert.True(gate.Check("discord", "u1", null).Allowed);
    }

    [Fact]
    public void Users_and_platforms_have_separate_allowances()
    {
        var gate = Gate(perUser: 1);
        Assert.True(gate.Check("discord", "u1", null).Allowed);
        Assert.True(gate.Check("discord", "u2", null).Allowed);
        Assert.True(gate.Check("slack", "u1", null).Allowed);
        Assert.False(gate.Check("discord", "u1", null).Allowed);
    }

    [Fact]
    public void Zero_turns_the_rate_limit_off()
    {
        var gate = Gate(perUser: 0);
        for (var i = 0; i < 100; i++) Assert.True(gate.Check("discord", "u1", "c1").Allowed);
    }

    [Fact]
    public void Idle_users_are_forgotten()
    {
        var gate = Gate(perUser: 2, window: 30);
        for (var i = 0; i < 50; i++) gate.Check("discord", $"user{i}", null);
        Assert.Equal(50, gate.TrackedUsers);
        _time.Advance(TimeSpan.FromSeconds(31));
        gate.PruneNow();
        Assert.Equal(0, gate.TrackedUsers);
    }

    [Fact]
    public void Allow_list_refuses_other_channels_and_admits_listed_ones()
    {
        var metrics = new PrometheusBotMetrics();
        var gate = Gate(channels: "111, slack:C0ABC", metrics: metrics);

        Assert.True(gate.Check("discord", "u1", "111").Allowed);
        Assert.True(gate.Check("slack", "u1", "111").Allowed);     // bare id: any platform
        Assert.True(gate.Check("slack", "u1", "C0ABC").Allowed);
        var refused = gate.Evaluate("discord", "u1", "C0ABC");     // prefixed id: only that platform
        Assert.False(refused.Decision.Allowed);
        Assert.Equal("channel", refused.Reason);
        Assert.Contains("channels the moderators chose", refused.Decision.Refusal);
        Assert.False(gate.Check("discord", "u1", "222").Allowed);
    }

    [Fact]
    public void Allow_list_does_not_apply_without_a_channel()
    {
        var gate = Gate(channels: "111");
        Assert.True(gate.Check("web", "127.0.0.1", null).Allowed);
    }

    [Fact]
    public void Channel_refusals_do_not_count_against_the_rate_limit()
    {
        var gate = Gate(perUser: 1, channels: "111");
        Assert.False(gate.Check("discord", "u1", "999").Allowed);
        Assert.True(gate.Check("discord", "u1", "111").Allowed);
    }

    [Theory]
    [InlineData("", true, 0)]
    [InlineData("123, 456", true, 2)]
    [InlineData("discord:123;slack:C01 C02", true, 3)]
    [InlineData("12 3!", false, 0)]
    [InlineData("discord:", false, 0)]
    [InlineData("<#123>", false, 0)]
    public void Allow_list_parsing(string text, bool ok, int count)
    {
        Assert.Equal(ok, ChannelAllowList.TryParse(text, out var list, out var bad));
        if (ok) Assert.Equal(count, list.Count);
        else Assert.NotNull(bad);
    }
}
