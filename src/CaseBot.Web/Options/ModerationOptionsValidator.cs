using CaseBot.Web.Moderation;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Options;

/// <summary>Start-up checks for <see cref="ModerationOptions"/>; every message names the setting to fix.</summary>
internal sealed class ModerationOptionsValidator : IValidateOptions<ModerationOptions>
{
    public ValidateOptionsResult Validate(string? name, ModerationOptions o)
    {
        var errors = new List<string>();
        if (o.QuestionsPerUser is < 0 or > 10_000)
            errors.Add("Moderation:QuestionsPerUser must be between 0 (no limit) and 10000 (env Moderation__QuestionsPerUser).");
        if (!(o.WindowSeconds >= 1 && o.WindowSeconds <= 3600))
            errors.Add("Moderation:WindowSeconds must be between 1 and 3600 (env Moderation__WindowSeconds).");
        if (!ChannelAllowList.TryParse(o.AllowedChannels, out _, out var bad))
            errors.Add($"Moderation:AllowedChannels has '{bad}', which is not a channel id (use ids such as 1234567890 or " +
                       "slack:C0123ABCD, separated by commas; env Moderation__AllowedChannels).");
        if (!(o.WatchDebounceSeconds >= 0.05 && o.WatchDebounceSeconds <= 600))
            errors.Add("Moderation:WatchDebounceSeconds must be between 0.05 and 600.");
        if (!(o.WatchPollSeconds == 0 || (o.WatchPollSeconds >= 1 && o.WatchPollSeconds <= 86_400)))
            errors.Add("Moderation:WatchPollSeconds must be 0 (events only) or between 1 and 86400.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
