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
}

public sealed class OpenQuestionGate : IQuestionGate
{
    public GateDecision Check(string platform, string userId, string? channelId) => GateDecision.Allow;
}
