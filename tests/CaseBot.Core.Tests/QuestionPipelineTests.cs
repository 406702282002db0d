using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Hosting;
using CaseBot.Core.Indexing;
using CaseBot.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Core.Tests;

public sealed class QuestionPipelineTests
{
    private static readonly AskContext Discord = new("discord", "C1", "U1", "T1");

    [Fact]
    public async Task An_answered_question_is_counted_once_with_the_engine_time_and_told_to_every_observer()
    {
        var clock = new FakeTimeProvider();
        var engine = new StubEngine(q => Cited(q)) { OnAsk = () => clock.Advance(TimeSpan.FromMilliseconds(40)) };
        var metrics = new Metrics();
        var first = new Observer();
        var second = new Observer();
        var pipeline = Pipeline(engine, metrics: metrics, clock: clock, observers: [first, second]);

        var result = await pipeline.AskAsync("who won?", Discord);

        Assert.Equal(QuestionOutcome.Answered, result.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(40), result.Latency);
        Assert.Equal([("discord", true, TimeSpan.FromMilliseconds(40))], metrics.Answers);
        foreach (var observer in new[] { first, second })
        {
            var seen = Assert.Single(observer.Seen);
            Assert.Equal(Discord, seen.Context);
            Assert.Equal("who won?", seen.Question);
            Assert.Same(result.Answer, seen.Answer);
            Assert.Equal(TimeSpan.FromMilliseconds(40), seen.Latency);
        }
    }

    [Fact]
    public async Task A_declined_question_is_counted_as_declined()
    {
        var metrics = new Metrics();
        var result = await Pipeline(new StubEngine(q => new Answer { Question = q, Answered = false, Text = "no" }), metrics: metrics)
            .AskAsync("what colour?", Discord);

        Assert.Equal(QuestionOutcome.Declined, result.Outcome);
        Assert.False(Assert.Single(metrics.Answers).Answered);
    }

    [Fact]
    public async Task A_refused_question_never_reaches_the_engine_metrics_or_observers()
    {
        var engine = new StubEngine(Cited);
        var metrics = new Metrics();
        var observer = new Observer();
        var gate = new Gate(GateDecision.Refuse("slow down") with { Reason = "rate_limit", RetryAfter = TimeSpan.FromSeconds(3) });

        var result = await Pipeline(engine, gate, metrics, observers: [observer]).AskAsync("who won?", Discord);

        Assert.Equal(QuestionOutcome.Refused, result.Outcome);
        Assert.Equal("slow down", result.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Gate.RetryAfter);
        Assert.Equal([("discord", "U1", "C1")], gate.Checks);
        Assert.Equal(0, engine.Asks);
        Assert.Empty(metrics.Answers);
        Assert.Empty(observer.Seen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_question_is_a_usage_error_that_does_not_use_up_the_allowance(string question)
    {
        var engine = new StubEngine(Cited);
        var gate = new Gate(GateDecision.Allow);
        var metrics = new Metrics();

        var result = await Pipeline(engine, gate, metrics).AskAsync(question, Discord);

        Assert.Equal(QuestionOutcome.UsageError, result.Outcome);
        Assert.Empty(gate.Checks);
        Assert.Equal(0, engine.Asks);
        Assert.Empty(metrics.Answers);
    }

    [Fact]
    public async Task A_question_the_engine_finds_unusable_is_a_usage_error_and_not_counted()
    {
        var metrics = new Metrics();
        var observer = new Observer();
        var result = await Pipeline(new StubEngine(q => new Answer { Question = q, Answered = false, Text = "usage", IsUsageError = true }),
            metrics: metrics, observers: [observer]).AskAsync("???", Discord);

        Assert.Equal(QuestionOutcome.UsageError, result.Outcome);
        Assert.Empty(metrics.Answers);
        Assert.Empty(observer.Seen);
    }

    [Fact]
    public async Task An_observer_that_throws_is_logged_and_neither_the_answer_nor_later_observers_suffer()
    {
        var logs = new Logs();
        var after = new Observer();
        var pipeline = Pipeline(new StubEngine(Cited), observers: [new Throwing(), after], logs: logs);

        var result = await pipeline.AskAsync("who won?", Discord);

        Assert.Equal(QuestionOutcome.Answered, result.Outcome);
        Assert.Single(after.Seen);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task The_engine_runs_off_the_callers_thread_so_a_read_loop_is_never_held()
    {
        using var release = new ManualResetEventSlim();
        var engine = new StubEngine(Cited) { OnAsk = () => release.Wait(TimeSpan.FromSeconds(10)) };

        var asking = Pipeline(engine).AskAsync("who won?", Discord);
        var returnedBeforeTheEngineFinished = !asking.IsCompleted;
        release.Set();
        await asking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(returnedBeforeTheEngineFinished);
    }

    private static QuestionPipeline Pipeline(ICaseBot engine, IQuestionGate? gate = null, IBotMetrics? metrics = null,
        TimeProvider? clock = null, IAnswerObserver[]? observers = null, ILoggerProvider? logs = null)
    {
        var factory = logs is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddProvider(logs));
        return new QuestionPipeline(engine, gate ?? new Gate(GateDecision.Allow), metrics ?? NullBotMetrics.Instance, observers ?? [],
            clock ?? TimeProvider.System, factory.CreateLogger<QuestionPipeline>());
    }

    private static Answer Cited(string q) => new()
    {
        Question = q, Answered = true, Text = "[001] Yes.", Citations = [new Citation("001", "Title", "Yes.")],
    };

    private sealed class StubEngine(Func<string, Answer> answer) : ICaseBot
    {
        private int _asks;
        public Action? OnAsk { get; init; }
        public int Asks => Volatile.Read(ref _asks);

        public Answer Ask(string question)
        {
            Interlocked.Increment(ref _asks);
            OnAsk?.Invoke();
            return answer(question);
        }

        public IReadOnlyList<DocumentInfo> Documents => [];
        public DocumentInfo? FindDocument(string id) => null;
        public IndexStatus Status => new(DateTimeOffset.UnixEpoch, "fp", 0, 0, "corpus", "index");
        public Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private sealed class Gate(GateDecision decision) : IQuestionGate
    {
        public List<(string, string, string?)> Checks { get; } = [];
        public GateDecision Check(string platform, string userId, string? channelId)
        {
            Checks.Add((platform, userId, channelId));
            return decision;
        }
    }

    private sealed class Metrics : IBotMetrics
    {
        public List<(string Platform, bool Answered, TimeSpan Latency)> Answers { get; } = [];
        public void QuestionAnswered(string platform, bool answered, TimeSpan latency) { lock (Answers) Answers.Add((platform, answered, latency)); }
        public void Reindexed(bool succeeded) { }
        public void Reconnected(string platform) { }
        public void RateLimitWaited(string platform, TimeSpan wait) { }
    }

    private sealed class Observer : IAnswerObserver
    {
        public List<AnsweredQuestion> Seen { get; } = [];
        public void OnAnswered(AnsweredQuestion question) { lock (Seen) Seen.Add(question); }
    }

    private sealed class Throwing : IAnswerObserver
    {
        public void OnAnswered(AnsweredQuestion question) => throw new InvalidOperationException("store is down");
    }

    private sealed class Logs : ILoggerProvider
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];
        public ILogger CreateLogger(string categoryName) => new Sink(this);
        public void Dispose() { }

        private sealed class Sink(Logs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries) owner.Entries.Add((logLevel, exception));
            }
        }
    }
}
