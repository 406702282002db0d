using System.Text.RegularExpressions;

namespace CaseBot.Core.Corpus;

/// <summary>
/// The articles carry their own footnote markers (<c>[1]</c>, <c>[1, 3, 2]</c>). Next to CaseBot's <c>[004]</c>
/// citations they would mislead, so they are removed from every text users see. The pattern is the one the
/// evaluation's faithfulness check strips, so a quote taken from the cleaned text is found in the cleaned document.
/// </summary>
public static partial class Footnotes
{
    [GeneratedRegex(@"\s*\[\d+(?:\s*,\s*\d+)*\]", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    public static string Remove(string text) => text.Contains('[') ? Marker().Replace(text, "") : text;
}
