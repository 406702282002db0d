using System.Text.RegularExpressions;
using CaseBot.Core.Indexing;

namespace CaseBot.Core.Answering.Questions;

/// <summary>Everything the engine reads from a question once: its normalised text, query terms with their idf,
/// the asked-for type, names, the currency it asks in and the article it points at.</summary>
public sealed partial class QuestionContext
{
    public required string Original { get; init; }
    public required string Text { get; init; }
    public required List<string> Terms { get; init; }
    public required double[] Idf { get; init; }
    public required double TotalIdf { get; init; }
    public required List<string> Bigrams { get; init; }
    public required AnswerType Type { get; init; }
    /// <summary>Analysed terms of each capitalised name and number in the question.</summary>
    public required List<List<string>> Names { get; init; }
    /// <summary>First five letters of each content word, lower case.</summary>
    public required List<string> Prefixes { get; init; }
    public required HashSet<string> SurfaceWords { get; init; }
    public required bool Negates { get; init; }
    /// <summary>'£', '$', '€' when the question asks for a sum in that currency, else '\0'.</summary>
    public required char Currency { get; init; }
    /// <summary>Per term: a question word behind it is a common English word (a whole word of MiniLM's vocabulary).</summary>
    public required bool[] Common { get; init; }
    /// <summary>Analysed terms of whoever a "what did X say / how did X react" question asks about, or null for other
    /// questions (and for a pronoun: "what did he say").</summary>
    public IReadOnlyList<string>? Speaker { get; init; }
    /// <summary>The noun a "which national newspaper …" question asks to be named ("newspaper"), or null.</summary>
    public string? Focus { get; init; }
    /// <summary>Whether the question asks for a kind ("what type of company"), answered by a description, not a name.</summary>
    public bool AsksForKind { get; init; }
    /// <summary>Words that may point at an article's metadata (a month, a year, "explainer").</summary>
    public required List<string> Hints { get; init; }
    /// <summary>
    /// The question's MiniLM vector (unit length), encoded on the thread that first asks for it (others wait for that
    /// run): the engine asks on its own thread while another does the lexical work, so no thread hands the vector over.
    /// </summary>
    public required Lazy<float[]> PendingVector { get; init; }
    public float[] Vector => PendingVector.Value;
    /// <summary>Question words replaced by spelling suggestions, for explanations.</summary>
    public required List<(string From, string To)> Corrections { get; init; }

    [GeneratedRegex(@"\b(not|never|no|none|nobody|nothing|neither|nor|without)\b|n't\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex NegationWords();

    [GeneratedRegex(@"\b\p{Lu}[\p{L}\p{M}'’\-]+(?:\s+\p{Lu}[\p{L}\p{M}'’\-]+)*|\b\d[\d,.]*", RegexOptions.CultureInvariant)]
    public static partial Regex NameWords();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’\-]*", RegexOptions.CultureInvariant)]
    public static partial Regex WordPattern();

    /// <summary>"what did Peter Thiel say about …", "how did the Met react": the question asks for someone's words. Not
    /// "what did Dalton think": a belief is told in too many ways ("his hypothesis assumed") to demand a speech verb.</summary>
    [GeneratedRegex(@"\bwhat\s+(?:did|does|do|has|have|had|would|will)\s+(?<who>[\p{L}\p{N}'’\-]+(?:\s+[\p{L}\p{N}'’\-]+){0,7}?)\s+(?:say|tell|tweet|claim|argue|warn|announce|write|post|make\s+of)\b|\bhow\s+(?:did|does|do|has|have|had|would|will)\s+(?<who>[\p{L}\p{N}'’\-]+(?:\s+[\p{L}\p{N}'’\-]+){0,7}?)\s+(?:respond|reply|react)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex SpeakerQuestion();

    [GeneratedRegex(@"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:19|20)\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex CalendarWords();

    /// <summary>Currency words ("in dollars", "how many pounds"); a symbol in the question names the sum it already
    /// knows ("the £50m contract"), not the one it wants.</summary>
    [GeneratedRegex(@"\b(?:(?<dollar>dollars?|usd|us\$)|(?<pound>pounds?|sterling|gbp)|(?<euro>euros?|eur))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex CurrencyWords();

    public static char CurrencyOf(string text)
    {
        var m = CurrencyWords().Match(text);
        return !m.Success ? '\0' : m.Groups["dollar"].Success ? '$' : m.Groups["pound"].Success ? '£' : '€';
    }
}
