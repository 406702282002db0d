namespace CaseBot.Discord.Options;

/// <summary>
/// Settings bound from the <c>Discord</c> section (<c>Discord__Token</c>, …). The token may also come from
/// <c>DISCORD_TOKEN</c>. Checked at start-up by <see cref="DiscordOptionsValidator"/>.
/// </summary>
public sealed class DiscordOptions
{
    public const string Section = "Discord";
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>Bot token. Secret: never logged, never in an exception message or <see cref="ToString"/>.</summary>
    public string? Token { get; set; }

    /// <summary>The application (client) id: slash commands are registered under it.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>When set, commands are registered on this guild only (updates are instant there).</summary>
    public string? GuildId { get; set; }

    /// <summary>REST base URL including the API version; tests point it at a loopback fake.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>Hex Ed25519 public key of the application; enables the HTTP interactions endpoint logic.</summary>
    public string? PublicKey { get; set; }

    public int ShardId { get; set; }

    /// <summary>Total shards; Identify carries <c>[ShardId, ShardCount]</c> when this is above 1.</summary>
    public int ShardCount { get; set; } = 1;

    /// <summary>Request the privileged MESSAGE_CONTENT intent. Mentions and DMs work without it.</summary>
    public bool MessageContentIntent { get; set; }

    /// <summary>How long an interaction waits for the answer before it takes the deferred path (Discord allows 3 s).</summary>
    public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times one REST request is tried when rate limited or when Discord has a 5xx hiccup.</summary>
    public int MaxRestAttempts { get; set; } = 4;

    public override string ToString() =>
        $"Discord(app={ApplicationId}, guild={GuildId ?? "-"}, api={ApiBaseUrl}, shard={ShardId}/{ShardCount}, token={(string.IsNullOrEmpty(Token) ? "unset" : "set")})";
}
