namespace CaseBot.Slack.Options;

/// <summary>How Slack delivers events to CaseBot.</summary>
public enum SlackMode
{
    /// <summary>Outbound WebSocket (app-level token); no public URL needed. The default when an app token is set.</summary>
    SocketMode,
    /// <summary>Slack POSTs to a public Request URL that the host mounts; every request is signature-checked.</summary>
    Http,
}

/// <summary>
/// Bound from the <c>Slack</c> section (<c>Slack__BotToken</c>, …); the bare <c>SLACK_*</c> variables Slack's own
/// tooling uses are accepted as fallbacks. Secrets are kept out of <see cref="ToString"/>.
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>App-level token (<c>xapp-…</c>, scope <c>connections:write</c>) for Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>Bot token (<c>xoxb-…</c>) for the Web API.</summary>
    public string? BotToken { get; set; }

    /// <summary>Signing secret for HTTP mode request verification.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Null: Socket Mode when an app token is set, HTTP otherwise.</summary>
    public SlackMode? Mode { get; set; }

    /// <summary>Web API base URL; configurable so tests and proxies can point elsewhere.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>User ids (<c>U…</c>) allowed to run <c>/casebot reindex</c>. Comma/space separated or an array.</summary>
    public List<string> Moderators { get; set; } = [];

    /// <summary>WebSocket ping period; Slack is told we are alive and we learn when it is not.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>No pong within this after a ping: the socket is quiet, drop it and reconnect.</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for <c>hello</c> after connecting before giving the link up.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First reconnect delay; doubles per failure up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times one Web API call is retried after HTTP 429.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>A Retry-After longer than this is not waited out: the message is dropped and logged.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many times one answer post (<c>chat.postMessage</c>, <c>chat.postEphemeral</c>) is retried after HTTP
    /// 500/502/503/504, a request timeout or a failed connection. Bounded: after this the post is given up with one warning.
    /// </summary>
    public int MaxTransientRetries { get; set; } = 2;

    /// <summary>First wait before such a retry; doubles per retry up to <see cref="TransientRetryMaxDelay"/>, with jitter.</summary>
    public TimeSpan TransientRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan TransientRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Minimum gap between two messages to one channel (Slack: about one per second).</summary>
    public TimeSpan ChannelMessageInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Answers computed and posted at once; the rest queue.</summary>
    public int MaxConcurrentWork { get; set; } = 4;

    public SlackMode EffectiveMode => Mode ?? (string.IsNullOrWhiteSpace(AppToken) ? SlackMode.Http : SlackMode.SocketMode);

    public bool IsModerator(string? userId) =>
        !string.IsNullOrEmpty(userId) && Moderators.Contains(userId, StringComparer.Ordinal);

    public override string ToString() =>
        $"Slack(mode={EffectiveMode}, api={ApiBaseUrl}, appToken={Redact(AppToken)}, botToken={Redact(BotToken)}, " +
        $"signingSecret={Redact(SigningSecret)}, moderators={Moderators.Count})";

    private static string Redact(string? secret) => string.IsNullOrEmpty(secret) ? "(unset)" : "(set)";
}
