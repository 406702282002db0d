using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Options;

/// <summary>Start-up checks with messages that name the variable to fix. Never echoes the token.</summary>
public sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Token))
            errors.Add("Discord:Token is required (env Discord__Token or DISCORD_TOKEN).");
        else if (o.Token.Any(char.IsWhiteSpace))
            errors.Add("Discord:Token contains whitespace; paste the bot token without a 'Bot ' prefix or line breaks.");

        if (!IsSnowflake(o.ApplicationId))
            errors.Add("Discord:ApplicationId must be the numeric application id from the Developer Portal (env Discord__ApplicationId).");
        if (!string.IsNullOrEmpty(o.GuildId) && !IsSnowflake(o.GuildId))
            errors.Add("Discord:GuildId, when set, must be a numeric guild (server) id (env Discord__GuildId).");

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
            errors.Add($"Discord:ApiBaseUrl must be an absolute http(s) URL such as {DiscordOptions.DefaultApiBaseUrl} (env Discord__ApiBaseUrl).");

        if (!string.IsNullOrEmpty(o.PublicKey) && (o.PublicKey.Length != 64 || !o.PublicKey.All(Uri.IsHexDigit)))
            errors.Add("Discord:PublicKey, when set, must be the application's 64-hex-digit public key (env Discord__PublicKey).");

        if (o.ShardCount < 1)
            errors.Add("Discord:ShardCount must be 1 or more (env Discord__ShardCount).");
        else if (o.ShardId < 0 || o.ShardId >= o.ShardCount)
            errors.Add($"Discord:ShardId must be between 0 and ShardCount-1 ({o.ShardCount - 1}) (env Discord__ShardId).");

        if (o.DeferAfter <= TimeSpan.Zero || o.DeferAfter >= TimeSpan.FromSeconds(3))
            errors.Add("Discord:DeferAfter must be above 0 and under 3 seconds (Discord's interaction response window).");
        if (o.MaxRestAttempts is < 1 or > 10)
            errors.Add("Discord:MaxRestAttempts must be between 1 and 10.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static bool IsSnowflake(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 20 && value.All(char.IsAsciiDigit) && ulong.TryParse(value, out _);
}
