using System.Text.RegularExpressions;

namespace CaseBot.Core.Indexing;

/// <summary>
/// The corpus's words (lower case) and how often each occurs, for spelling suggestions: a question word the corpus
/// never uses is replaced by the most frequent corpus word within a small edit distance ("procurment" →
/// "procurement"). Words are grouped by length so a look-up only compares words that could be that close.
/// </summary>
public sealed partial class Vocabulary
{
    private readonly Dictionary<string, int> _counts;
    private readonly Dictionary<string, int> _lowerCase;
    private readonly Dictionary<int, List<string>> _byLength;

    private Vocabulary(Dictionary<string, int> counts, Dictionary<string, int> lowerCase)
    {
        _counts = counts;
        _lowerCase = lowerCase;
        _byLength = counts.Keys.GroupBy(w => w.Length).ToDictionary(g => g.Key, g => g.OrderBy(w => w, StringComparer.Ordinal).ToList());
    }

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    public static Vocabulary Of(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowerCase = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (Match m in WordPattern().Matches(text))
            {
                var w = m.Value.ToLowerInvariant();
                counts[w] = counts.GetValueOrDefault(w) + 1;
                if (char.IsLower(m.Value[0])) lowerCase[w] = lowerCase.GetValueOrDefault(w) + 1;
            }
        return new Vocabulary(counts, lowerCase);
    }

    /// <summary>The first five letters of a word, lower case: the match question and sentence words share when stems
    /// or typos differ ("procurment" / "procurement").</summary>
    public static string Prefix(string word)
    {
        var lower = word.ToLowerInvariant();
        return lower.Length > 5 ? lower[..5] : lower;
    }

    public bool Contains(string word) => _counts.ContainsKey(word.ToLowerInvariant());

    public int Count(string word) => _counts.GetValueOrDefault(word.ToLowerInvariant());

    /// <summary>How often the word occurs written in lower case: a capitalised span of common words is no name.</summary>
    public int LowerCaseCount(string word) => _lowerCase.GetValueOrDefault(word.ToLowerInvariant());

    /// <summary>The most frequent corpus word within one edit (two for words of eight letters or more), or null.
    /// Words under five letters are left alone: too many real words sit one edit apart.</summary>
    public string? Suggest(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.Length < 5 || _counts.ContainsKey(w)) return null;
        var maxEdits = w.Length >= 8 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestCount = 0;
        for (var len = w.Length - maxEdits; len <= w.Length + maxEdits; len++)
        {
            if (!_byLength.TryGetValue(len, out var words)) continue;
            foreach (var candidate in words)
            {
                if (candidate[0] != w[0] && (candidate.Length < 2 || candidate[1] != w[1])) continue; // typos rarely hit the opening letters
                var d = Distance(w, candidate, maxEdits);
                if (d > maxEdits) continue;
                var count = _counts[candidate];
                if (d < bestDistance || (d == bestDistance && count > bestCount)) { best = candidate; bestDistance = d; bestCount = count; }
            }
        }
        return best;
    }

    /// <summary>Optimal string alignment distance (a swap of two neighbours is one edit), stopping past <paramref name="max"/>.</summary>
    internal static int Distance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        var prev2 = new int[b.Length + 1];
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var rowMin = cur[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > max) return max + 1;
            (prev2, prev, cur) = (prev, cur, prev2);
        }
        return prev[b.Length];
    }
}
