using System.Text.RegularExpressions;

namespace CaseBot.Core.Answering;

/// <summary>
/// Picks a short span (a sum, a date, a name) out of the quoted sentence. Candidates are typed patterns for typed
/// questions and runs of words the question does not already contain; the one nearest the words the question and
/// sentence share wins. Always a substring of the sentence, so it is as faithful as the quote.
/// </summary>
public static partial class ShortAnswer
{
    private const string Month = "(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\.?";
    private const string Scale = "(?:\\s?(?:million|billion|trillion|thousand|hundred|bn|m|k)\\b)?";

    [GeneratedRegex(@"(?:[£$€¥]\s?\d[\d,]*(?:\.\d+)?" + Scale + @"|\d[\d,]*(?:\.\d+)?" + Scale + @"\s(?:pounds|dollars|euros|pence|cents|francs|marks|yen))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"(?:[£$€¥]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent|million|billion|trillion|thousand|hundred))?(?:\s(?:km|miles|metres|meters|feet|years|people|square|kilometres|kilometers|tonnes|tons|acres)\b)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|dozens?)\b(?:\s(?:million|thousand|hundred))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(Month + @"\s\d{1,2}(?:st|nd|rd|th)?(?:,?\s\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s" + Month + @"(?:,?\s\d{4})?|" + Month + @"\s\d{4}|\b(?:1[0-9]|20)\d{2}s?\b|\b\d{1,2}(?:st|nd|rd|th) century\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b" + Month + @"\b", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"\b\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+(?:(?:of|the|de|la|le|von|van|der|du|and|for|al|bin)\s+)*\p{Lu}[\p{L}\p{M}'’.\-]*)*", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’\-.%£$€]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    private static readonly HashSet<string> Stop = new(Lucene.Net.Analysis.Core.StopAnalyzer.ENGLISH_STOP_WORDS_SET.Select(o => o.ToString()!),
        StringComparer.OrdinalIgnoreCase)
    { "which", "who", "whom", "whose", "what", "when", "where", "how", "also", "has", "had", "have", "its", "his", "her", "their", "said", "would", "could", "from",
      "them", "itself", "themselves", "same", "other", "others", "such", "refers", "there", "these", "those", "many", "much",
      "more", "most", "some", "any", "each", "can", "may", "might", "must", "do", "does", "did", "been", "being", "were", "him", "she", "he", "we", "you" };

    /// <summary>Prepositions and adverbs that end or start a clause fragment but never a noun-phrase answer.</summary>
    private static readonly HashSet<string> Edge = new(StringComparer.OrdinalIgnoreCase)
    { "through", "off", "over", "under", "across", "along", "about", "after", "before", "during", "between", "among", "within", "without",
      "towards", "toward", "upon", "onto", "via", "only", "just", "still", "even", "very", "up", "down", "out", "around", "against", "since",
      "until", "while", "because", "although", "though", "however", "thus", "therefore", "both", "either", "neither", "so", "than" };

    /// <summary>A lower-case -ing/-ed word opening a run is mostly the verb before the answer ("involving orogenic wedges").</summary>
    private static bool LooksVerbal(string word) =>
        word.Length > 4 && char.IsLower(word[0]) && (word.EndsWith("ing", StringComparison.Ordinal) || word.EndsWith("ed", StringComparison.Ordinal));

    /// <summary>Returns a short span of <paramref name="sentence"/> answering <paramref name="question"/>, or null.</summary>
    public static string? Extract(string question, string sentence, AnswerKind kind, Func<string, string> stem) =>
        Extract(QuestionStems(question, stem), sentence, kind, stem);

    /// <summary>The stems of the question's words, computed once per question for several <see cref="Extract(IReadOnlySet{string}, string, AnswerKind, Func{string, string})"/> calls.</summary>
    public static HashSet<string> QuestionStems(string question, Func<string, string> stem) =>
        new(WordPattern().Matches(question).Select(m => stem(m.Value)), StringComparer.Ordinal);

    public static string? Extract(IReadOnlySet<string> questionStems, string sentence, AnswerKind kind, Func<string, string> stem)
    {
        var words = WordPattern().Matches(sentence);
        if (words.Count == 0) return null;
        // Where the sentence echoes the question: answers sit next to those words.
        var anchors = new List<int>();
        foreach (Match w in words)
            if (!Stop.Contains(w.Value) && questionStems.Contains(stem(w.Value))) anchors.Add(w.Index);

        IEnumerable<Match> matches = kind switch
        {
            AnswerKind.Money => MoneyPattern().Matches(sentence).Concat(NumberPattern().Matches(sentence)),
            AnswerKind.Number => NumberPattern().Matches(sentence),
            AnswerKind.Date => DatePattern().Matches(sentence),
            AnswerKind.Person or AnswerKind.Place => NamePattern().Matches(sentence),
            _ => [],
        };
        var typed = matches.Where(m => m.Length > 0 && !IsEcho(m.Value, questionStems, stem)).Select(m => new Span(m.Index, m.Value));
        var best = Best(typed, anchors, sentence);
        if (best is not null) return best;
        if (kind is AnswerKind.Other or AnswerKind.Person or AnswerKind.Place)
            return Best(NovelRuns(sentence, words, questionStems, stem), anchors, sentence);
        return null;
    }

    private static bool IsEcho(string span, IReadOnlySet<string> questionStems, Func<string, string> stem)
    {
        var any = false;
        foreach (Match w in WordPattern().Matches(span))
        {
            if (Stop.Contains(w.Value)) continue;
            any = true;
            if (!questionStems.Contains(stem(w.Value))) return false;
        }
        return any;
    }

    /// <summary>Runs of up to six words, bounded by punctuation or question words, holding no question word.</summary>
    private readonly record struct Span(int Index, string Value);

    private static IEnumerable<Span> NovelRuns(string sentence, MatchCollection words, IReadOnlySet<string> questionStems, Func<string, string> stem)
    {
        var runStart = -1;
        var runEnd = -1;
        for (var i = 0; i <= words.Count; i++)
        {
            var w = i < words.Count ? words[i] : null;
            var breaks = w is null || questionStems.Contains(stem(w.Value)) ||
                         (runEnd >= 0 && sentence.AsSpan(runEnd, w.Index - runEnd).IndexOfAny(",;:()\"“”") >= 0);
            if (breaks && runStart >= 0)
            {
                if (Trimmed(sentence, runStart, runEnd) is { } run) yield return run;
                runStart = -1;
            }
            if (w is null || questionStems.Contains(stem(w.Value))) continue;
            if (runStart < 0) runStart = w.Index;
            runEnd = w.Index + w.Length;
        }
    }

    private static Span? Trimmed(string sentence, int start, int end)
    {
        var words = WordPattern().Matches(sentence[start..end]).ToList();
        var first = 0;
        var last = words.Count - 1;
        while (first <= last && (Stop.Contains(words[first].Value) || Edge.Contains(words[first].Value) || (first < last && LooksVerbal(words[first].Value)))) first++;
        while (last >= first && (Stop.Contains(words[last].Value) || Edge.Contains(words[last].Value))) last--;
        if (first > last) return null;
        if (last - first + 1 > 6) last = first + 5;
        var s = start + words[first].Index;
        var e = start + words[last].Index + words[last].Length;
        return new Span(s, sentence[s..e]);
    }

    private const double PhraseWeight = 0.8; // chosen on SQuAD dev: short-F1 0.27 at 0, 0.31 at 0.8, 0.30 at 1.5

    private static string? Best(IEnumerable<Span> candidates, List<int> anchors, string sentence)
    {
        string? best = null;
        var bestScore = double.MinValue;
        foreach (var c in candidates)
        {
            var value = c.Value.Trim().TrimEnd('.', ',', ';', ':');
            if (value.Length == 0) continue;
            var distance = anchors.Count == 0 ? sentence.Length : anchors.Min(a => Math.Abs(a - c.Index));
            // Near the echoed words, and a phrase (two to four words) rather than one stray word or a whole clause.
            var words = value.Count(ch => ch == ' ') + 1;
            var score = -distance / 10.0 + PhraseWeight * Math.Min(words, 4) - value.Length / 40.0;
            if (score > bestScore) { bestScore = score; best = value; }
        }
        return best;
    }
}
