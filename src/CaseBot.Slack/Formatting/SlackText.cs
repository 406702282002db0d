using System.Text;
using System.Text.RegularExpressions;

namespace CaseBot.Slack.Formatting;

/// <summary>Slack's text rules: only <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> are escaped, and angle brackets are how
/// Slack writes mentions, channel links and <c>&lt;!channel&gt;</c> — so text from elsewhere must be escaped.</summary>
public static partial class SlackText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Escapes <paramref name="text"/> into at most <paramref name="max"/> characters: cut (with an ellipsis) on
    /// a whole character, never inside an <c>&amp;amp;</c> entity or a surrogate pair. Escaping can make text five times
    /// longer, so a bound on the raw text is no bound on what Slack receives.</summary>
    public static string EscapeWithin(string? text, int max)
    {
        var escaped = Escape(text);
        if (escaped.Length <= max) return escaped;
        var sb = new StringBuilder(max);
        foreach (var rune in (text ?? "").EnumerateRunes())
        {
            var piece = rune.Value switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => rune.ToString() };
            if (sb.Length + piece.Length > max - 1) break;
            sb.Append(piece);
        }
        return sb.ToString().TrimEnd() + "…";
    }

    /// <summary>
    /// Turns an incoming message into the question a user typed: drops user mentions (the bot's own above all),
    /// shows links by their label or URL, and undoes Slack's entity escaping.
    /// </summary>
    public static string ToQuestion(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var s = UserMention().Replace(text, " ");
        s = Link().Replace(s, m => m.Groups["label"].Success ? m.Groups["label"].Value : m.Groups["target"].Value);
        s = s.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
             .Replace("&amp;", "&", StringComparison.Ordinal);
        return Whitespace().Replace(s, " ").Trim();
    }

    /// <summary>Cuts text to at most <paramref name="max"/> characters on a word boundary.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        return text[..(cut > max / 2 ? cut : max - 1)].TrimEnd() + "…";
    }

    [GeneratedRegex(@"<@[UW][A-Z0-9]+(\|[^>]*)?>")]
    private static partial Regex UserMention();

    [GeneratedRegex(@"<(?<target>[^<>|]+)(\|(?<label>[^<>]*))?>")]
    private static partial Regex Link();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
