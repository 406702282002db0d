using System.Text;

namespace CaseBot.Discord.Formatting;

/// <summary>Makes text from the corpus safe to show: no markdown it did not mean, no mention that renders as a ping.</summary>
internal static class DiscordMarkdown
{
    private const string ZeroWidthSpace = "\u200B";

    /// <summary>Escapes Discord markdown, defuses <c>@everyone</c>/<c>@here</c> and mention syntax, flattens line breaks.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '<' or '#' or '[' or ']':
                    // '<' keeps <@id> / <#id> from rendering as a mention; '[' ']' keep masked links from forming.
                    sb.Append('\\').Append(c);
                    break;
                case '\r' or '\n':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        // allowed_mentions already prevents pings; this keeps the text from even looking like one.
        return sb.ToString()
            .Replace("@everyone", "@" + ZeroWidthSpace + "everyone", StringComparison.OrdinalIgnoreCase)
            .Replace("@here", "@" + ZeroWidthSpace + "here", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Cuts to at most <paramref name="max"/> characters, adding an ellipsis, never splitting an escape
    /// sequence or a surrogate pair.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        if (max <= 1) return max == 1 ? "…" : "";
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        // An odd run of backslashes at the end would escape the ellipsis: drop one.
        var slashes = 0;
        for (var i = cut - 1; i >= 0 && text[i] == '\\'; i--) slashes++;
        if (slashes % 2 == 1) cut--;
        return text[..cut].TrimEnd() + "…";
    }
}
