namespace CaseBot.Core.Corpus;

/// <summary>A sentence as a span of its document's text; <see cref="IsHeading"/> marks a line with no sentence-final
/// punctuation (a headline or section title), which is searchable but not quoted as an answer.</summary>
public readonly record struct SentenceSpan(int Start, int Length, bool IsHeading);

/// <summary>
/// Splits text into sentences at line breaks and at <c>. ! ?</c> followed by space and a capital, digit or opening
/// quote. It does not break after abbreviations (<c>Mr.</c>, <c>U.S.</c>, <c>e.g.</c>), initials (<c>J. K.</c>),
/// inside decimals (<c>3.5</c>) or amounts (<c>£50 m</c>), nor before a lower-case continuation.
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "cpl",
        "rev", "hon", "inc", "ltd", "co", "corp", "plc", "vs", "v", "etc", "no", "nos", "approx", "est", "fig", "figs",
        "vol", "ed", "eds", "cf", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mt", "ft", "mx", "pp", "op", "ca", "c",
    };

    private const string Closers = "\"'”’)]»";
    private const string Openers = "\"'“‘([«";

    public static IReadOnlyList<SentenceSpan> Split(string text)
    {
        var spans = new List<SentenceSpan>();
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = text.Length;
            SplitLine(text, lineStart, lineEnd, spans);
            lineStart = lineEnd + 1;
        }
        return spans;
    }

    private static void SplitLine(string text, int start, int end, List<SentenceSpan> spans)
    {
        var sentenceStart = start;
        while (sentenceStart < end && char.IsWhiteSpace(text[sentenceStart])) sentenceStart++;
        var lineSpansBefore = spans.Count;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c is not ('.' or '!' or '?')) continue;
            var j = i + 1;
            while (j < end && (Closers.Contains(text[j]) || text[j] is '.' or '!' or '?')) j++;
            if (j >= end) break; // the line's end closes the sentence anyway
            if (!char.IsWhiteSpace(text[j])) continue;
            var k = j;
            while (k < end && char.IsWhiteSpace(text[k])) k++;
            if (k >= end) break;
            var next = text[k];
            if (!(char.IsUpper(next) || char.IsDigit(next) || Openers.Contains(next) || next is '£' or '$' or '€')) continue;
            if (c == '.' && IsAbbreviationBefore(text, sentenceStart, i)) continue;
            Add(text, sentenceStart, j, spans, heading: false);
            sentenceStart = k;
            i = k - 1;
        }
        var lastIsHeading = spans.Count == lineSpansBefore && !EndsLikeSentence(text, sentenceStart, end);
        Add(text, sentenceStart, end, spans, lastIsHeading);
    }

    private static bool IsAbbreviationBefore(string text, int sentenceStart, int dot)
    {
        var wordStart = dot;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(text[wordStart - 1])) wordStart--;
        while (wordStart < dot && Openers.Contains(text[wordStart])) wordStart++;
        var word = text.AsSpan(wordStart, dot - wordStart);
        if (word.Length == 0) return false;
        if (word.Length == 1 && char.IsUpper(word[0])) return true;       // an initial: "J. K. Rowling"
        if (wordStart == sentenceStart && IsAllDigits(word)) return true; // a list item: "1. Escalating budgets"
        if (word.Contains('.')) return true;                              // "U.S.", "e.g.", "a.m."
        return Abbreviations.Contains(word.ToString());
    }

    private static bool IsAllDigits(ReadOnlySpan<char> word)
    {
        foreach (var ch in word) if (!char.IsAsciiDigit(ch)) return false;
        return true;
    }

    private static bool EndsLikeSentence(string text, int start, int end)
    {
        var i = end - 1;
        while (i >= start && (char.IsWhiteSpace(text[i]) || Closers.Contains(text[i]))) i--;
        return i >= start && text[i] is '.' or '!' or '?' or ':' or ';' or ',';
    }

    private static void Add(string text, int start, int end, List<SentenceSpan> spans, bool heading)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) spans.Add(new SentenceSpan(start, end - start, heading));
    }
}
