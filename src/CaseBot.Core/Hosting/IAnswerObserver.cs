using CaseBot.Core.Answering;

namespace CaseBot.Core.Hosting;

/// <summary>Where a question came from. <see cref="UserId"/> is the platform's raw id: observers that persist it
/// must hash it (salted) first. <see cref="ThreadKey"/> names the conversation (Slack thread ts, Discord reply chain
/// or thread id) when there is one.</summary>
public sealed record AskContext(string Platform, string? ChannelId, string? UserId, string? ThreadKey = null);

/// <summary>One question the pipeline answered or declined, reported once, after the answer was composed.</summary>
public sealed record AnsweredQuestion(AskContext Context, string Question, Answer Answer, TimeSpan Latency, DateTimeOffset At);

/// <summary>
/// Told of every question the one question pipeline handles, on every surface (Discord, Slack, web console).
/// The feedback store and metrics hang off this seam; an observer must not throw and must not block for long.
/// </summary>
public interface IAnswerObserver
{
    void OnAnswered(AnsweredQuestion question);
}
