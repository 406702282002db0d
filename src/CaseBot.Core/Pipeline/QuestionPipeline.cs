using CaseBot.Core.Answering;
using CaseBot.Core.Conversations;
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

/// <summary>What a surface renders. <see cref="Answer"/> is set for Answered, Declined and (engine-detected) UsageError.
/// <see cref="Resolved"/> is the question as the engine read it (a follow-up in a thread carries the previous
/// question's words); null when the question never reached the engine.</summary>
public sealed record QuestionResult(QuestionOutcome Outcome, Answer? Answer, GateDecision Gate, TimeSpan Latency, ResolvedQuestion? Resolved = null)
{
    public string? Refusal => Gate.Refusal;
}

/// <summary>
/// The one question step every surface (Discord, Slack, web console) goes through: usage check, gate (rate limit,
/// channel allow-list), <see cref="ICaseBot.Ask"/> on the thread pool, metrics with one latency definition (the
/// engine's answer time, never posting or pacing), and every <see cref="IAnswerObserver"/>. A question with an
/// <see cref="AskContext.ThreadKey"/> is read with the thread's previous one (<see cref="FollowUpResolver"/>). Surfaces only translate
/// an event into a question plus an <see cref="AskContext"/>, and render the <see cref="QuestionResult"/>.
/// </summary>
public sealed class QuestionPipeline(
    ICaseBot bot,
    IQuestionGate gate,
    IBotMetrics metrics,
    IEnumerable<IAnswerObserver> observers,
    TimeProvider time,
    ILogger<QuestionPipeline> log,
    FollowUpResolver? followUps = null)
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
        var (answer, resolved, latency) = await Task.Run(() =>
        {
            var started = time.GetTimestamp();
            var (a, r) = followUps is not null && !string.IsNullOrEmpty(context.ThreadKey)
                ? followUps.Ask(bot, context.ThreadKey, question)
                : (bot.Ask(question), new ResolvedQuestion(question, question, false, []));
            return (a, r, time.GetElapsedTime(started));
        }, ct).ConfigureAwait(false);

        if (answer.IsUsageError)
            return new QuestionResult(QuestionOutcome.UsageError, answer, decision, latency, resolved);

        metrics.QuestionAnswered(context.Platform, answer.Answered, latency);
        Notify(new AnsweredQuestion(context, question, answer, latency, time.GetUtcNow()));
        return new QuestionResult(answer.Answered ? QuestionOutcome.Answered : QuestionOutcome.Declined, answer, decision, latency, resolved);
    }

    /// <summary>True when the bot has answered in this thread recently (it is in the follow-up memory): a message
    /// there is for the bot even without a mention.</summary>
    public bool IsConversation(string? threadKey) =>
        followUps is not null && !string.IsNullOrEmpty(threadKey) && followUps.Memory.Turns(threadKey).Count > 0;

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
