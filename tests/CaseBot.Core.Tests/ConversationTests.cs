using CaseBot.Core.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Core.Tests;

/// <summary>Follow-ups in a thread, read with the previous question as context, against the real engine and corpus.</summary>
public sealed class ConversationTests(EngineFixture engine, AnswerAllFixture answerAll) : IClassFixture<EngineFixture>, IClassFixture<AnswerAllFixture>
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Three_follow_ups_in_a_thread_reach_the_passages_with_who_how_much_and_the_dollar_sum()
    {
        // Which passage each turn reaches is what the memory decides; whether to answer is the decider's (tested elsewhere).
        var engine = answerAll;
        var threads = new FollowUpResolver(new ConversationMemory(_clock));
        const string thread = "slack:C1:1700000000.000100";
        var (opening, _) = threads.Ask(engine.Bot, thread, "Tell me about the proposed Palantir contract");
        Assert.True(opening.Answered);

        var (who, whoQ) = threads.Ask(engine.Bot, thread, "who blocked it?");
        Assert.True(whoQ.IsFollowUp);
        Assert.True(who.Answered);
        Assert.Contains(who.Citations, c => c.Quote.Contains("Sadiq Khan blocked", StringComparison.Ordinal));
        Assert.Equal("who blocked it?", who.Question); // the member's words, not the rewrite

        var (worth, _) = threads.Ask(engine.Bot, thread, "how much was it worth?");
        Assert.True(worth.Answered);
        Assert.Equal("£50 million", worth.Short);

        var (dollars, dollarsQ) = threads.Ask(engine.Bot, thread, "and in dollars?");
        Assert.StartsWith("how much ", dollarsQ.Resolved, StringComparison.Ordinal);
        Assert.True(dollars.Answered);
        Assert.Contains(dollars.Citations, c => c.DocId == "004" && c.Quote.Contains("($67 million)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_follow_ups_without_a_thread_are_not_answered_from_the_right_passages()
    {
        // What the memory adds: alone, these questions do not reach the sums.
        Assert.False(engine.Bot.Ask("how much was it worth?").Answered);
        Assert.False(engine.Bot.Ask("and in dollars?").Answered);
        var threads = new FollowUpResolver(new ConversationMemory(_clock));
        var (answer, q) = threads.Ask(engine.Bot, null, "and in dollars?");
        Assert.False(q.IsFollowUp);
        Assert.False(answer.Answered);
    }

    [Fact]
    public void A_follow_up_after_the_memory_expired_is_read_as_a_new_question_and_declined()
    {
        var threads = new FollowUpResolver(new ConversationMemory(_clock, new ConversationOptions { MaxAgeMinutes = 30 }));
        threads.Ask(engine.Bot, "t", "Tell me about the proposed Palantir contract");
        _clock.Advance(TimeSpan.FromMinutes(31));
        var (answer, q) = threads.Ask(engine.Bot, "t", "how much was it worth?");
        Assert.False(q.IsFollowUp);
        Assert.False(answer.Answered);
    }

    [Fact]
    public void Threads_do_not_share_context()
    {
        var threads = new FollowUpResolver(new ConversationMemory(_clock));
        threads.Ask(engine.Bot, "thread-a", "Tell me about the proposed Palantir contract");
        var (answer, q) = threads.Ask(engine.Bot, "thread-b", "how much was it worth?");
        Assert.False(q.IsFollowUp);
        Assert.False(answer.Answered);
    }
}

public sealed class ConversationMemoryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Each_thread_keeps_only_its_last_turns()
    {
        var memory = new ConversationMemory(_clock, new ConversationOptions { MaxTurns = 2 });
        memory.Record("t", "q1", "q1", true);
        memory.Record("t", "q2", "q2", true);
        memory.Record("t", "q3", "q3", false);
        Assert.Equal(["q2", "q3"], memory.Turns("t").Select(t => t.Asked));
        Assert.Equal("q2", memory.Context("t")!.Asked); // the latest answered turn is the context
    }

    [Fact]
    public void The_least_recently_active_thread_is_forgotten_beyond_the_limit()
    {
        var memory = new ConversationMemory(_clock, new ConversationOptions { MaxThreads = 2 });
        memory.Record("a", "qa", "qa", true);
        memory.Record("b", "qb", "qb", true);
        memory.Record("a", "qa2", "qa2", true); // a is now the most recent
        memory.Record("c", "qc", "qc", true);
        Assert.Equal(2, memory.ThreadCount);
        Assert.Empty(memory.Turns("b"));
        Assert.Equal(2, memory.Turns("a").Count);
    }

    [Fact]
    public void Turns_older_than_the_maximum_age_are_forgotten_and_quiet_threads_freed()
    {
        var memory = new ConversationMemory(_clock, new ConversationOptions { MaxAgeMinutes = 10 });
        memory.Record("old", "q", "q", true);
        _clock.Advance(TimeSpan.FromMinutes(5));
        memory.Record("t", "q1", "q1", true);
        _clock.Advance(TimeSpan.FromMinutes(6));
        memory.Record("t", "q2", "q2", true);
        Assert.Equal(["q1", "q2"], memory.Turns("t").Select(t => t.Asked));
        Assert.Equal(1, memory.ThreadCount); // "old" went quiet 11 minutes ago
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(["q2"], memory.Turns("t").Select(t => t.Asked));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(memory.Context("t"));
    }

    [Fact]
    public void Options_out_of_range_fail_at_start_with_the_setting_named()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Conversations:MaxTurns"] = "0" }).Build();
        using var sp = new ServiceCollection().AddCaseBotConversations(config).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<ConversationOptions>>().Value);
        Assert.Contains("Conversations:MaxTurns", e.Message);
        Assert.NotNull(new ServiceCollection().AddCaseBotConversations(new ConfigurationBuilder().Build()).BuildServiceProvider()
            .GetRequiredService<FollowUpResolver>());
    }
}

public sealed class FollowUpRewriterTests
{
    [Theory]
    [InlineData("who blocked it?")]
    [InlineData("how much was it worth?")]
    [InlineData("and in dollars?")]
    [InlineData("What about the Home Office?")]
    [InlineData("why?")]
    public void Pronouns_connectives_and_bare_questions_are_follow_ups(string question) =>
        Assert.True(FollowUpRewriter.IsFollowUp(question));

    [Theory]
    [InlineData("Why did City Hall block the Palantir contract?")]
    [InlineData("Who co-founded Palantir?")]
    public void Self_contained_questions_are_not(string question) => Assert.False(FollowUpRewriter.IsFollowUp(question));

    [Fact]
    public void A_follow_up_gets_the_previous_content_words_it_lacks()
    {
        var r = FollowUpRewriter.Resolve("who blocked it?", "Tell me about the proposed Palantir contract");
        Assert.True(r.IsFollowUp);
        Assert.Equal("who blocked it? proposed Palantir contract", r.Resolved);
        Assert.Equal(["proposed", "Palantir", "contract"], r.AddedWords);
    }

    [Fact]
    public void An_elliptical_follow_up_borrows_the_previous_question_word()
    {
        var r = FollowUpRewriter.Resolve("and in dollars?", "how much was it worth? blocked proposed Palantir contract");
        Assert.Equal("how much in dollars? worth blocked proposed Palantir contract", r.Resolved);
    }

    [Fact]
    public void A_self_contained_question_is_left_alone_even_in_a_thread()
    {
        var r = FollowUpRewriter.Resolve("Who co-founded Palantir?", "how much was the contract worth?");
        Assert.False(r.IsFollowUp);
        Assert.Equal("Who co-founded Palantir?", r.Resolved);
    }

    [Fact]
    public void Carried_words_are_bounded()
    {
        var r = FollowUpRewriter.Resolve("and why?", "alpha beta gamma delta epsilon zeta eta theta iota kappa", maxCarriedWords: 3);
        Assert.Equal(["alpha", "beta", "gamma"], r.AddedWords);
    }
}
