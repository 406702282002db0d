using CaseBot.Core.Answering;
using Microsoft.Extensions.Options;

namespace CaseBot.Core.Conversations;

/// <summary>
/// What the question pipeline calls for a message in a thread: <see cref="Resolve"/> before asking the engine (the
/// question read with the thread's previous one), <see cref="Remember"/> after. Without a thread key both do nothing.
/// </summary>
public sealed class FollowUpResolver(ConversationMemory memory)
{
    public ConversationMemory Memory => memory;

    public ResolvedQuestion Resolve(string? threadKey, string question)
    {
        var context = string.IsNullOrEmpty(threadKey) ? null : memory.Context(threadKey)?.Resolved;
        return FollowUpRewriter.Resolve(question, context, memory.Options.MaxCarriedWords);
    }

    public void Remember(string? threadKey, ResolvedQuestion question, Answer answer)
    {
        if (string.IsNullOrEmpty(threadKey) || answer.IsUsageError) return;
        memory.Record(threadKey, question.Asked, question.Resolved, answer.Answered);
    }

    /// <summary>Resolves, asks <paramref name="bot"/>, remembers; the answer keeps the question as the member asked it.</summary>
    public (Answer Answer, ResolvedQuestion Question) Ask(ICaseBot bot, string? threadKey, string question)
    {
        var resolved = Resolve(threadKey, question);
        var answer = bot.Ask(resolved.Resolved);
        if (resolved.IsFollowUp) answer = answer with { Question = question };
        Remember(threadKey, resolved, answer);
        return (answer, resolved);
    }
}
