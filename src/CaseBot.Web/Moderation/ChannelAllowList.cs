using System.Text.RegularExpressions;

namespace CaseBot.Web.Moderation;

/// <summary>
/// The channels the bot answers in. An entry without a platform prefix matches that id on any platform
/// (Discord snowflakes and Slack ids never collide); empty list: every channel.
/// </summary>
public sealed partial class ChannelAllowList
{
    private readonly HashSet<string> _any;
    private readonly HashSet<string> _perPlatform;

    private ChannelAllowList(HashSet<string> any, HashSet<string> perPlatform)
    {
        _any = any;
        _perPlatform = perPlatform;
    }

    public static readonly ChannelAllowList Everything = new([], []);

    public bool IsRestricted => _any.Count + _perPlatform.Count > 0;

    public int Count => _any.Count + _perPlatform.Count;

    public bool Allows(string platform, string channelId) =>
        !IsRestricted || _any.Contains(channelId) || _perPlatform.Contains(platform.ToLowerInvariant() + ":" + channelId);

    public static bool TryParse(string? text, out ChannelAllowList list, out string? badEntry)
    {
        var any = new HashSet<string>(StringComparer.Ordinal);
        var perPlatform = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Split([',', ' ', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = EntryPattern().Match(entry);
            if (!match.Success)
            {
                list = Everything;
                badEntry = entry;
                return false;
            }
            if (match.Groups["platform"].Success)
                perPlatform.Add(match.Groups["platform"].Value.ToLowerInvariant() + ":" + match.Groups["id"].Value);
            else
                any.Add(match.Groups["id"].Value);
        }
        list = new ChannelAllowList(any, perPlatform);
        badEntry = null;
        return true;
    }

    public static ChannelAllowList Parse(string? text) =>
        TryParse(text, out var list, out var bad) ? list : throw new FormatException($"'{bad}' is not a channel id.");

    [GeneratedRegex(@"^(?:(?<platform>[A-Za-z]+):)?(?<id>[A-Za-z0-9_-]{1,64})$")]
    private static partial Regex EntryPattern();
}
