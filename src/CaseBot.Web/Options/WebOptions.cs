namespace CaseBot.Web.Options;

/// <summary>The web console and the HTTP endpoints. Bound from the <c>Web</c> section (<c>Web__Urls</c>, …).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Where Kestrel listens; several URLs separated by <c>;</c>. Loopback by default so a fresh
    /// install is not reachable from the network until the operator says so.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Bearer token for <c>POST /api/reindex</c>. Empty: reindexing from the web is off.</summary>
    public string? AdminToken { get; set; }

    /// <summary>How long SIGTERM waits for questions in flight and adapters to close.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Longer questions are refused before they reach the engine.</summary>
    public int MaxQuestionLength { get; set; } = 500;

    public bool ReindexEnabled => !string.IsNullOrWhiteSpace(AdminToken);

    // Never print the token itself.
    public override string ToString() =>
        $"Urls={Urls}, AdminToken={(ReindexEnabled ? "set" : "not set")}, ShutdownTimeoutSeconds={ShutdownTimeoutSeconds}";
}
