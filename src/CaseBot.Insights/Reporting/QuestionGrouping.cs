using System.Text;

namespace CaseBot.Insights.Reporting;

/// <summary>
/// Groups near-duplicate questions: each is reduced to its set of content words (lower case, letters and digits,
/// common English function words dropped, a plural <c>s</c> trimmed), and a question joins the first group whose
/// words overlap its own by at least <see cref="Threshold"/> (Jaccard), the most asked wordings placed first.
/// </summary>
public static class QuestionGrouping
{
    public const double Threshold = 0.65;

    // General English function words and question words; nothing about the case.
    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "about", "as", "into",
        "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "has", "have", "had", "will", "would", "can",
        "could", "should", "shall", "may", "might", "must", "what", "which", "who", "whom", "whose", "when", "where", "why",
        "how", "it", "its", "this", "that", "these", "those", "there", "their", "they", "them", "he", "she", "his", "her",
        "i", "me", "my", "we", "our", "you", "your", "any", "some", "please", "tell", "know", "there", "so", "if", "then",
    };

    public static IReadOnlySet<string> Tokens(string question)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var ch in (question + " ").ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(ch)) { word.Append(ch); continue; }
            if (ch == '\'' && word.Length > 0) continue; // mayor's -> mayors -> mayor
            if (word.Length == 0) continue;
            var w = word.ToString();
            word.Clear();
            if (FunctionWords.Contains(w)) continue;
            if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal)) w = w[..^1];
            set.Add(w);
        }
        return set;
    }

    public static double Jaccard(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 && b.Count == 0) return 1;
        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    /// <summary>The question in lower case with punctuation and extra spaces gone: identical wordings compare equal.</summary>
    public static string Wording(string question) =>
        string.Join(' ', new string(question.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Groups <paramref name="questions"/> (each occurrence with when it was asked), biggest group first.</summary>
    public static IReadOnlyList<DeclinedGroup> Group(IEnumerable<(string Question, DateTimeOffset At)> questions)
    {
        // Identical wordings (case and spacing aside) first, so the most asked wording leads its group.
        var wordings = questions
            .GroupBy(q => Wording(q.Question))
            .Select(g => (Text: g.First().Question.Trim(), Count: g.Count(), Last: g.Max(x => x.At), Tokens: Tokens(g.Key)))
            .OrderByDescending(w => w.Count).ThenBy(w => w.Text, StringComparer.Ordinal)
            .ToList();
        var groups = new List<(IReadOnlySet<string> Tokens, List<(string Text, int Count, DateTimeOffset Last)> Members)>();
        foreach (var w in wordings)
        {
            var home = groups.FindIndex(g => Jaccard(g.Tokens, w.Tokens) >= Threshold);
            if (home < 0) groups.Add((w.Tokens, [(w.Text, w.Count, w.Last)]));
            else groups[home].Members.Add((w.Text, w.Count, w.Last));
        }
        return groups
            .Select(g => new DeclinedGroup(g.Members[0].Text, g.Members.Sum(m => m.Count), g.Members.Select(m => m.Text).ToList(),
                g.Members.Max(m => m.Last)))
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.LastAsked)
            .ToList();
    }
}
