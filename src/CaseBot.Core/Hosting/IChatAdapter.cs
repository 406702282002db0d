namespace CaseBot.Core.Hosting;

/// <summary>
/// A chat platform adapter as the host sees it: it runs as a hosted service, and reports whether it is
/// connected so that <c>/readyz</c> can say so.
/// </summary>
public interface IChatAdapter
{
    /// <summary>Lower-case platform name used in logs and metrics: <c>discord</c>, <c>slack</c>.</summary>
    string Platform { get; }

    bool IsConnected { get; }
}
