using System.Text;
using System.Text.RegularExpressions;

namespace CaseBot.Core.Conversations;

/// <summary>A question as asked and as it will be searched.</summary>
/// <param name="IsFollowUp">True when the question leaned on the previous one and context words were added.</param>
public sealed record ResolvedQuestion(string Asked, string Resolved, bool IsFollowUp, IReadOnlyList<string> AddedWords);

/// <summary>
/// Reads a question with the previous one as context. A question is a follow-up when it points back (a pronoun
/// such as <i>it</i>, <i>they</i>, <i>that</i>), opens with a connective (<i>and …</i>, <i>what about …</i>), or has
/// at most one word of its own that is not a function word ("and in dollars?"). Then the previous question's
/// content words that the new one lacks are appended, and when the new one has no question word of its own
/// (ellipsis) it borrows the previous one's ("how much"). Only general English function words are listed here;
/// nothing about any case.
/// </summary>
public static partial class FollowUpRewriter
{
    private static readonly HashSet<string> QuestionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "who", "whom", "whose", "what", "which", "when", "where", "why", "how",
    };

    /// <summary>Words that may follow a question word as part of it: "how much", "how many", "how long".</summary>
    private static readonly HashSet<string> QuestionWordModifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "much", "many", "long", "often", "far", "old", "big", "large", "soon", "late", "early",
    };

    /// <summary>Words that point back to something said before.</summary>
    private static readonly HashSet<string> Anaphora = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "its", "it's", "itself", "they", "them", "their", "theirs", "themselves", "this", "that", "these", "those",
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "there", "then", "same", "such", "one", "ones",
    };

    /// <summary>Openings that continue the previous question.</summary>
    private static readonly string[] Connectives =
    [
        "and", "but", "also", "so", "or", "plus", "then", "what about", "how about", "and what about", "what else", "anything else",
    ];

    private static readonly HashSet<string> FunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        // articles, determiners, quantifiers
        "a", "an", "the", "some", "any", "all", "each", "every", "no", "another", "other", "more", "most", "much", "many",
        "few", "less", "least", "own", "very", "too", "just", "only", "else", "again", "ever", "still", "yet", "already",
        // pronouns
        "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "it", "its", "it's", "itself", "they",
        "them", "their", "theirs", "themselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "this",
        "that", "these", "those", "one", "ones", "someone", "something", "anyone", "anything", "same", "such",
        // auxiliaries and very common verbs of asking
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "doing", "has", "have", "had",
        "having", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "get", "got", "tell", "say",
        "said", "know", "show", "explain", "describe", "mean", "please", "thanks", "thank",
        // prepositions and conjunctions
        "of", "in", "on", "at", "by", "for", "with", "without", "from", "to", "into", "onto", "about", "as", "than",
        "over", "under", "after", "before", "between", "through", "during", "against", "per", "via", "and", "or", "but",
        "so", "if", "because", "while", "whether", "also", "plus", "not", "nor", "there", "here", "then", "now",
        // question words
        "who", "whom", "whose", "what", "which", "when", "where", "why", "how",
    };

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’\-]*|[£$€¥%]", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>The words of <paramref name="text"/>, in order, as written.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        WordPattern().Matches(text ?? "").Select(m => m.Value.Replace('’', '\'')).ToList();

    /// <summary>Words that carry meaning: not function words, not single symbols.</summary>
    public static IReadOnlyList<string> ContentWords(string text) =>
        Words(text).Where(w => !FunctionWords.Contains(w) && (w.Length > 1 || char.IsDigit(w[0]))).ToList();

    public static bool IsFollowUp(string question)
    {
        var words = Words(question);
        if (words.Count == 0) return false;
        if (words.Any(Anaphora.Contains)) return true;
        var lower = string.Join(' ', words).ToLowerInvariant();
        if (Connectives.Any(c => lower == c || lower.StartsWith(c + " ", StringComparison.Ordinal))) return true;
        return ContentWords(question).Count <= 1;
    }

    /// <param name="question">The new question.</param>
    /// <param name="previous">The previous question of the thread as it was resolved (null: no context).</param>
    /// <param name="maxCarriedWords">At most this many context words are added.</param>
    public static ResolvedQuestion Resolve(string question, string? previous, int maxCarriedWords = 8)
    {
        question ??= "";
        if (string.IsNullOrWhiteSpace(previous) || string.IsNullOrWhiteSpace(question) || !IsFollowUp(question))
            return new ResolvedQuestion(question, question, false, []);

        var own = new HashSet<string>(ContentWords(question), StringComparer.OrdinalIgnoreCase);
        var carried = ContentWords(previous)
            .Where(w => !own.Contains(w))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(maxCarriedWords)
            .ToList();

        var body = question.Trim();
        var lead = "";
        var words = Words(question);
        if (!words.Any(QuestionWords.Contains) && QuestionPhrase(previous) is { Length: > 0 } borrowed)
        {
            lead = borrowed;
            body = StripConnective(body);
        }
        if (carried.Count == 0 && lead.Length == 0) return new ResolvedQuestion(question, question, false, []);

        var resolved = new StringBuilder();
        if (lead.Length > 0) resolved.Append(lead).Append(' ');
        resolved.Append(body);
        if (carried.Count > 0) resolved.Append(' ').Append(string.Join(' ', carried));
        return new ResolvedQuestion(question, resolved.ToString(), true, lead.Length > 0 ? [.. Words(lead), .. carried] : carried);
    }

    /// <summary>The question word of <paramref name="question"/> with its modifier ("how much"), or "".</summary>
    private static string QuestionPhrase(string question)
    {
        var words = Words(question);
        for (var i = 0; i < words.Count; i++)
        {
            if (!QuestionWords.Contains(words[i])) continue;
            var phrase = words[i].ToLowerInvariant();
            if (i + 1 < words.Count && QuestionWordModifiers.Contains(words[i + 1])) phrase += " " + words[i + 1].ToLowerInvariant();
            return phrase;
        }
        return "";
    }

    private static string StripConnective(string question)
    {
        var lower = question.ToLowerInvariant();
        foreach (var c in Connectives.OrderByDescending(c => c.Length))
            if (lower.StartsWith(c + " ", StringComparison.Ordinal) || lower.StartsWith(c + ",", StringComparison.Ordinal))
                return question[c.Length..].TrimStart(' ', ',');
        return question;
    }
}
