using System.Globalization;
using System.Text.RegularExpressions;

namespace CaseBot.Core.Corpus;

/// <summary>
/// What an article says about itself on lines of their own: its publication date (<c>Published: April 27, 2026</c>),
/// its author or desk (<c>Trends Reporter</c>, <c>By Jane Doe</c>), its reading time (<c>4 min read</c>) and its kind
/// when a line names it (<c>Opinion</c>, <c>Explainer</c>, <c>Analysis</c>). Absent fields stay null: never guessed.
/// </summary>
public sealed partial record DocumentMetadata(DateOnly? Published, string? Byline, string? ReadingTime, string? Kind)
{
    public static readonly DocumentMetadata None = new(null, null, null, null);

    [GeneratedRegex(@"^(?:(?:Published|Updated|Posted|Date)\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?<date>(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^(?:By\s+\p{Lu}[\p{L}.'\-]+(?:\s+\p{Lu}[\p{L}.'\-]+){0,3}|(?:\p{Lu}[\p{L}\-]+\s+){0,3}(?:Reporter|Correspondent|Editor|Desk|Staff|Writer|Columnist|Contributor))$", RegexOptions.CultureInvariant)]
    private static partial Regex BylineLine();

    [GeneratedRegex(@"^\d{1,3}\s*(?:min|mins|minute|minutes)\s+read$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadingLine();

    [GeneratedRegex(@"^(?<kind>Opinion|Explainer|Analysis|Comment|Editorial|Feature|Interview|Review|News)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KindLine();

    /// <summary>Metadata stands on short lines of its own; a longer line is the article's text.</summary>
    private const int MaxLine = 60;

    /// <summary>Whether a line of an article says something about the article (its date, byline or reading time), not the case.</summary>
    public static bool IsMetadataLine(string line) => line.Trim() is { Length: > 0 and <= MaxLine } l
        && (DateLine().IsMatch(l) || BylineLine().IsMatch(l) || ReadingLine().IsMatch(l));

    /// <summary>Whether a word names a kind of article a line can give (<c>explainer</c>, <c>opinion</c>).</summary>
    public static bool IsKind(string word) => KindLine().IsMatch(word.Trim());

    public static DocumentMetadata Parse(string text)
    {
        DateOnly? published = null;
        string? byline = null, reading = null, kind = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length is 0 or > MaxLine) continue;
            if (published is null && DateLine().Match(line) is { Success: true } d
                && DateTime.TryParse(d.Groups["date"].Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                published = DateOnly.FromDateTime(date);
            else if (byline is null && BylineLine().IsMatch(line)) byline = line;
            else if (reading is null && ReadingLine().IsMatch(line)) reading = line;
            else if (kind is null && KindLine().Match(line) is { Success: true } k) kind = k.Groups["kind"].Value.ToLowerInvariant();
        }
        return new DocumentMetadata(published, byline, reading, kind);
    }

    /// <summary>What a citation shows after the id, e.g. <c>27 Apr 2026</c>; null when nothing is known.</summary>
    public string? Label => Published is { } p ? p.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : null;

    /// <summary>Words a question may use to point at this article: its month, year, weekday, kind and byline words.</summary>
    public IEnumerable<string> HintWords()
    {
        if (Published is { } p)
        {
            yield return p.ToString("MMMM", CultureInfo.InvariantCulture);
            yield return p.ToString("MMM", CultureInfo.InvariantCulture);
            yield return p.Year.ToString(CultureInfo.InvariantCulture);
            yield return p.DayOfWeek.ToString();
        }
        if (Kind is not null) yield return Kind;
        if (Byline is not null)
            foreach (var w in Byline.Split(' ', StringSplitOptions.RemoveEmptyEntries)) if (!w.Equals("By", StringComparison.OrdinalIgnoreCase)) yield return w;
    }
}
