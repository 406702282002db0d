namespace CaseBot.Web.WebConsole;

/// <summary>
/// Finds a cited quote in its document so the console can highlight it. Quotes are extractive, but whitespace
/// and letter case may differ from the stored text (line breaks inside a sentence), so the search falls back to
/// a comparison that ignores both.
/// </summary>
public static class QuoteLocator
{
    public readonly record struct Span(int Start, int Length);

    public static Span? Find(string text, string? quote)
    {
        if (string.IsNullOrWhiteSpace(quote)) return null;
        var trimmed = quote.Trim().TrimEnd('…').Trim();
        if (trimmed.Length == 0) return null;
        var exact = text.IndexOf(trimmed, StringComparison.Ordinal);
        if (exact >= 0) return new Span(exact, trimmed.Length);

        // Collapse whitespace in both and keep a map from collapsed positions back to the original text.
        var (normText, map) = Collapse(text);
        var (normQuote, _) = Collapse(trimmed);
        var at = normText.IndexOf(normQuote, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        var start = map[at];
        var end = map[at + normQuote.Length - 1] + 1;
        return new Span(start, end - start);
    }

    private static (string Text, int[] Map) Collapse(string s)
    {
        var chars = new System.Text.StringBuilder(s.Length);
        var map = new List<int>(s.Length);
        var pendingSpace = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                pendingSpace = chars.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                chars.Append(' ');
                map.Add(i - 1);
                pendingSpace = false;
            }
            chars.Append(s[i]);
            map.Add(i);
        }
        return (chars.ToString(), map.ToArray());
    }
}
