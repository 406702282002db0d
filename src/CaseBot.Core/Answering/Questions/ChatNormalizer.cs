using System.Text;
using System.Text.RegularExpressions;
using CaseBot.Core.Answering.Resources;

namespace CaseBot.Core.Answering.Questions;

/// <summary>
/// Turns a question as people type it in chat into the plain question the engine reads: chat spellings and
/// contractions expanded, filler dropped, a preamble before a colon dropped ("asking as a serving officer: …"),
/// references to an article rather than a fact ("per the April article") taken out and kept as hints, markdown
/// emphasis removed. Word lists live in <c>Resources/</c>; typos are corrected later against the index's vocabulary.
/// </summary>
public static partial class ChatNormalizer
{
    private static readonly Dictionary<string, string> Rewrites = LoadRewrites();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’/]*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    /// <summary>"need it for copy: …", "asking as a serving officer - …": a short lead-in without a question word.</summary>
    [GeneratedRegex(@"^(?<pre>[^:?!]{3,60}?)\s*(?::|\s[-–—]\s)\s*(?<rest>.{8,})$", RegexOptions.CultureInvariant)]
    private static partial Regex Preamble();

    private const string QuestionWords = "what|which|who|whom|whose|when|where|why|how|is|are|was|were|did|does|do|can|could|would|should";

    [GeneratedRegex(@"\b(" + QuestionWords + @")\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionWord();

    /// <summary>"yo what day …", "oi who …": a greeting before the question word. Only there: "Yo-Yo Ma" keeps his name.</summary>
    [GeneratedRegex(@"^(?:yo|oi|hiya|hello|sup|ay+|aye)\b[,!.]*\s+(?=(?:" + QuestionWords + @")\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Greeting();

    /// <summary>"per the April article", "in the explainer piece", "the opinion writer": the noun and its determiner go;
    /// the word between them (a month, "first", "explainer") is kept as a hint for the document's metadata.</summary>
    [GeneratedRegex(@"\b(?:(?:per|in|from|by|according to)\s+)?(?:the|this|that|an?)\s+(?:(?<hint>[\p{L}\p{N}\-]+)\s+)?(?:article|piece|(?<explainer>explainer)|(?<opinion>op-?ed)|write-?up|writer|author|columnist|blog post)s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArticleReference();

    [GeneratedRegex(@"[*_`~]+|<@!?\d+>|<#\d+>|#(?=\w)", RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    public sealed record Result(string Text, IReadOnlyList<string> ArticleHints);

    public static Result Normalize(string question)
    {
        var text = Greeting().Replace(Markup().Replace(question, " ").TrimStart(), "");
        var preamble = Preamble().Match(text);
        if (preamble.Success && !QuestionWord().IsMatch(preamble.Groups["pre"].Value) && QuestionWord().IsMatch(preamble.Groups["rest"].Value))
            text = preamble.Groups["rest"].Value;

        var hints = new List<string>();
        text = ArticleReference().Replace(text, m =>
        {
            if (m.Groups["hint"].Success) hints.Add(m.Groups["hint"].Value);
            // "the explainer", "the op-ed": the noun is itself the article's kind.
            if (m.Groups["explainer"].Success) hints.Add("explainer");
            if (m.Groups["opinion"].Success) hints.Add("opinion");
            return " ";
        });

        var sb = new StringBuilder(text.Length + 16);
        var last = 0;
        foreach (Match w in Word().Matches(text))
        {
            sb.Append(text, last, w.Index - last);
            last = w.Index + w.Length;
            var key = w.Value.Replace('’', '\'').ToLowerInvariant();
            if (Rewrites.TryGetValue(key, out var replacement)) sb.Append(replacement);
            else sb.Append(w.Value);
        }
        sb.Append(text, last, text.Length - last);
        var normalized = string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // A question made only of filler ("lol ok") keeps its words: declining it is the engine's job.
        return new Result(normalized.Any(char.IsLetterOrDigit) ? normalized : question.Trim(), hints);
    }

    private static Dictionary<string, string> LoadRewrites()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in WordLists.Lines("chat-words.txt"))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new InvalidDataException($"chat-words.txt: '{line}' is not 'word = replacement'.");
            map[line[..eq].Trim().ToLowerInvariant()] = line[(eq + 1)..].Trim();
        }
        return map;
    }
}
