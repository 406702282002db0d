namespace CaseBot.Core.Feedback;

/// <summary>A member's verdict on one answer. <see cref="None"/> withdraws an earlier vote.</summary>
public enum VoteValue
{
    Down = -1,
    None = 0,
    Up = 1,
}

/// <summary>
/// One 👍 / 👎 click. <see cref="UserId"/> is the platform's raw id (or the web console's anonymous cookie id):
/// the sink hashes it with a salt before it is stored. <see cref="AnswerKey"/> comes from
/// <see cref="Feedback.AnswerKey.For(string, string)"/>.
/// </summary>
public sealed record VoteCast(string Platform, string AnswerKey, string UserId, VoteValue Value, string? ChannelId = null);

/// <summary>What the store holds for that user and answer after the vote: one vote per user per answer.</summary>
public sealed record VoteOutcome(string AnswerKey, VoteValue Value, int Up, int Down);

/// <summary>Where adapters and the web console send votes. Registered by the insights store; absent, votes are not kept.</summary>
public interface IFeedbackSink
{
    Task<VoteOutcome> VoteAsync(VoteCast vote, CancellationToken cancellationToken = default);
}
