using CaseBot.Core.Answering;
using CaseBot.Core.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Core.Pipeline;

/// <summary>How the pipeline handled a question.</summary>
public enum QuestionOutcome
{
    /// <summary>The engine quoted an answer.</summary>
    Answered,
    /// <summary>The engine said the documents don't say.</summary>
    Declined,
    /// <summary>Nothing usable to ask (empty, only symbols): the surface shows its usage help.</summary>
    UsageError,
    /// <summary>The gate turned the question away (rate limit, channel allow-list): <see cref="QuestionResult.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>What a surface renders. <see cref="Answer"/> is set for Answered, Declined and (engine-detected) UsageError.</summary>
public sealed record QuestionResult(QuestionOutcome Outcome, Answer? Answer, GateDecision Gate, TimeSpan Latency)
{
    public string? Refusal => Gate.Refusal;
}

/// <summary>
/// The one question step every surface (Discord, Slack, web console) goes through: usage check, gate (rate limit,
/// channel allow-list), <see cref="ICaseBot.Ask"/> on the thread pool, metrics with one latency definition (the
/// engine's answer time, never posting or pacing), and every <see cref="IAnswerObserver"/>. Surfaces only translate
/// an event into a question plus an <see cref="AskContext"/>, and render the <see cref="QuestionResult"/>.
/// </summary>
public sealed class QuestionPipeline(
    ICaseBot bot,
    IQuestionGate gate,
    IBotMetrics metrics,
    IEnumerable<IAnswerObserver> observers,
    TimeProvider time,
    ILogger<QuestionPipeline> log)
{
    private readonly IAnswerObserver[] _observers = observers.ToArray();

    /// <summary>Handles one question. An empty question is a usage error and does not use up the asker's allowance.</summary>
    public async Task<QuestionResult> AskAsync(string question, AskContext context, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(question))
            return new QuestionResult(QuestionOutcome.UsageError, null, GateDecision.Allow, TimeSpan.Zero);

        var decision = gate.Check(context.Platform, context.UserId ?? "unknown", context.ChannelId);
        if (!decision.Allowed)
            return new QuestionResult(QuestionOutcome.Refused, null, decision, TimeSpan.Zero);

        // Never on the caller's thread: a chat read loop (and its heartbeats) must not wait on the engine.
        var (answer, latency) = await Task.Run(() =>
        {
            var started = time.GetTimestamp();
            var a = bot.Ask(question);
            return (a, time.GetElapsedTime(started));
        }, ct).ConfigureAwait(false);

        if (answer.IsUsageError)
            return new QuestionResult(QuestionOutcome.UsageError, answer, decision, latency);

        metrics.QuestionAnswered(context.Platform, answer.Answered, latency);
        Notify(new AnsweredQuestion(context, question, answer, latency, time.GetUtcNow()));
        return new QuestionResult(answer.Answered ? QuestionOutcome.Answered : QuestionOutcome.Declined, answer, decision, latency);
    }

    private void Notify(AnsweredQuestion question)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnAnswered(question);
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Answer observer {Observer} failed; the answer is sent anyway.", observer.GetType().Name);
            }
        }
    }
}
