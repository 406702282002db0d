using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Options;

/// <summary>Start-up checks with messages a self-hoster can act on. Never echoes a secret, only says what is wrong with it.</summary>
internal sealed partial class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions o)
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(o.BotToken))
            errors.Add("Slack:BotToken is required (env Slack__BotToken or SLACK_BOT_TOKEN): the bot token from OAuth & Permissions.");
        else if (!o.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
            errors.Add("Slack:BotToken must be a bot token starting with 'xoxb-' (OAuth & Permissions > Bot User OAuth Token).");

        if (o.EffectiveMode == SlackMode.SocketMode)
        {
            if (string.IsNullOrWhiteSpace(o.AppToken))
                errors.Add("Slack:AppToken is required in Socket Mode (env Slack__AppToken or SLACK_APP_TOKEN): an app-level token with connections:write.");
            else if (!o.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
                errors.Add("Slack:AppToken must be an app-level token starting with 'xapp-' (Basic Information > App-Level Tokens).");
        }
        else if (string.IsNullOrWhiteSpace(o.SigningSecret))
        {
            errors.Add("Slack:SigningSecret is required in HTTP mode (env Slack__SigningSecret or SLACK_SIGNING_SECRET): Basic Information > Signing Secret.");
        }

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
            errors.Add($"Slack:ApiBaseUrl must be an absolute http(s) URL, e.g. https://slack.com/api/ (got '{o.ApiBaseUrl}').");

        foreach (var id in o.Moderators.Where(id => !UserId().IsMatch(id)))
            errors.Add($"Slack:Moderators entry '{id}' is not a Slack user id (like U012AB3CD); copy it from the member's profile > Copy member ID.");

        Positive(errors, o.PingInterval, nameof(o.PingInterval));
        Positive(errors, o.PongTimeout, nameof(o.PongTimeout));
        Positive(errors, o.HelloTimeout, nameof(o.HelloTimeout));
        Positive(errors, o.ReconnectBaseDelay, nameof(o.ReconnectBaseDelay));
        if (o.ReconnectMaxDelay < o.ReconnectBaseDelay)
            errors.Add("Slack:ReconnectMaxDelay must not be shorter than Slack:ReconnectBaseDelay.");
        if (o.MaxRateLimitRetries is < 0 or > 10)
            errors.Add("Slack:MaxRateLimitRetries must be between 0 and 10.");
        if (o.MaxTransientRetries is < 0 or > 5)
            errors.Add("Slack:MaxTransientRetries must be between 0 and 5.");
        if (o.TransientRetryBaseDelay < TimeSpan.Zero || o.TransientRetryMaxDelay < o.TransientRetryBaseDelay)
            errors.Add("Slack:TransientRetryBaseDelay must not be negative nor above Slack:TransientRetryMaxDelay.");
        if (o.MaxRetryAfter < TimeSpan.Zero || o.ChannelMessageInterval < TimeSpan.Zero)
            errors.Add("Slack:MaxRetryAfter and Slack:ChannelMessageInterval must not be negative.");
        if (o.MaxConcurrentWork is < 1 or > 64)
            errors.Add("Slack:MaxConcurrentWork must be between 1 and 64.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) errors.Add($"Slack:{name} must be positive (a time span such as 00:00:10).");
    }

    [GeneratedRegex("^[UW][A-Z0-9]{2,}$")]
    private static partial Regex UserId();
}
