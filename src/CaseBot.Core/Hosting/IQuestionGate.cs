namespace CaseBot.Core.Hosting;

/// <summary>
/// Decides whether a user may ask now (per-user rate limit, channel allow-list). Adapters call it before
/// answering; a refusal carries the friendly text to send back.
/// </summary>
public interface IQuestionGate
{
    GateDecision Check(string platform, string userId, string? channelId);
}

public readonly record struct GateDecision(bool Allowed, string? Refusal)
{
    public static readonly GateDecision Allow = new(true, null);
    public static GateDecision Refuse(string why) => new(false, why);

    /// <summary>A short machine-readable reason for a refusal (<c>rate_limit</c>, <c>channel</c>), when the gate gives one.</summary>
    public string? Reason { get; init; }

    /// <summary>When the asker may try again (HTTP surfaces send it as <c>Retry-After</c>); zero when unknown.</summary>
    public TimeSpan RetryAfter { get; init; }
}

public sealed class OpenQuestionGate : IQuestionGate
{
    public GateDecision Check(string platform, string userId, string? channelId) => GateDecision.Allow;
}
