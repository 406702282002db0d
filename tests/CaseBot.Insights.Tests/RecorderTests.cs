using CaseBot.Insights.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Insights.Tests;

public sealed class RecorderTests
{
    /// <summary>A store whose writes wait until the test lets them through.</summary>
    private sealed class HeldStore : IInsightStore
    {
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource FirstWriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<QuestionRecord> Rows = [];
        public string Backend => "held";
        public Task<string> InitializeAsync(string? configuredSalt, CancellationToken ct = default) => Task.FromResult("0123456789abcdef0123456789abcdef");
        public async Task RecordQuestionsAsync(IReadOnlyList<QuestionRecord> questions, CancellationToken ct = default)
        {
            FirstWriteStarted.TrySetResult();
            await Release.Task;
            lock (Rows) Rows.AddRange(questions);
        }
        public Task<(int Up, int Down)> VoteAsync(VoteRecord vote, CancellationToken ct = default) => Task.FromResult((0, 0));
        public Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken ct = default) => Task.FromResult(0);
        public Task<IReadOnlyList<QuestionRecord>> QuestionsSinceAsync(DateTimeOffset since, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<QuestionRecord>>(Rows);
        public Task<IReadOnlyList<VoteRecord>> VotesSinceAsync(DateTimeOffset since, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<VoteRecord>>([]);
        public Task<QuestionRecord?> FindAnswerAsync(string answerKey, CancellationToken ct = default) => Task.FromResult<QuestionRecord?>(null);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Answering_never_waits_for_a_stuck_store_records_beyond_the_queue_are_dropped_and_counted()
    {
        var store = new HeldStore();
        var recorder = new InsightRecorder(store, Make.Options(capacity: 10), new FakeTimeProvider(Make.T0));
        await recorder.StartAsync(CancellationToken.None);
        recorder.OnAnswered(Make.Asked(Make.Declined("first"), Make.T0));
        await store.FirstWriteStarted.Task; // the writer now holds "first" and is stuck in the store

        for (var i = 0; i < 25; i++) recorder.OnAnswered(Make.Asked(Make.Declined($"q{i}"), Make.T0)); // returns at once

        Assert.Equal(15, recorder.Dropped);
        store.Release.SetResult();
        await recorder.StopAsync(CancellationToken.None); // drains what was queued
        Assert.Equal(11, store.Rows.Count);
        Assert.Equal(["first", "q0", "q9"], store.Rows.Select(r => r.Question).Where(q => q is "first" or "q0" or "q9"));
        Assert.Equal(11, recorder.Written);
    }

    [Fact]
    public async Task Usage_errors_are_not_recorded_and_a_throwing_store_does_not_reach_the_caller()
    {
        await using var store = new SqliteInsightStore(Path.Combine(Make.TempFolder("casebot-insights"), "insights.db"));
        var recorder = new InsightRecorder(store, Make.Options(), new FakeTimeProvider(Make.T0));
        await recorder.StartAsync(CancellationToken.None);
        recorder.OnAnswered(Make.Asked(Make.Declined("??") with { IsUsageError = true }, Make.T0));
        recorder.OnAnswered(Make.Asked(Make.Declined("a real question"), Make.T0));
        await recorder.FlushAsync();
        Assert.Equal("a real question", Assert.Single(await store.QuestionsSinceAsync(DateTimeOffset.UnixEpoch)).Question);
        await recorder.StopAsync(CancellationToken.None);
        recorder.OnAnswered(Make.Asked(Make.Declined("after stop"), Make.T0)); // no throw; nothing written
        Assert.Single(await store.QuestionsSinceAsync(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task A_vote_with_something_else_than_an_answer_key_is_refused()
    {
        var recorder = new InsightRecorder(new HeldStore(), Make.Options(), new FakeTimeProvider(Make.T0));
        await Assert.ThrowsAsync<ArgumentException>(() => recorder.VoteAsync(
            new Core.Feedback.VoteCast("web", "'; DROP TABLE x;--", "u", Core.Feedback.VoteValue.Up)));
    }
}
