using System.Text;
using System.Text.RegularExpressions;
using CaseBot.Core.Answering.Resources;
using CaseBot.Core.Indexing;
using L = CaseBot.Core.Indexing.IndexLayout;

namespace CaseBot.Core.Answering.Questions;

/// <summary>
/// Reads a question against one index: chat normalisation, spelling suggestions from the corpus vocabulary, the
/// index's own analysis (stems, stop words, aliases) minus the words that only shape a question, and the asked-for type.
/// </summary>
public sealed class QuestionReader
{
    public const int MaxQuestionChars = 1000;
    private const int MaxTerms = 48;
    private const int MaxEncodedChars = 400;

    private static readonly string[] QuestionWordList = WordLists.Words("question-words.txt").ToArray();
    private static readonly HashSet<string> ShapeWords = new(QuestionWordList, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> EnglishStops = new(Lucene.Net.Analysis.Core.StopAnalyzer.ENGLISH_STOP_WORDS_SET.Select(o => o.ToString()!), StringComparer.OrdinalIgnoreCase);

    private readonly SearchIndex _index;
    private readonly HashSet<string> _questionStops;
    private readonly Indexing.Embeddings.SentenceEmbedder _encoder;

    public QuestionReader(SearchIndex index, Indexing.Embeddings.SentenceEmbedder encoder)
    {
        _index = index;
        _encoder = encoder;
        _questionStops = new HashSet<string>(QuestionWordList.SelectMany(w => index.Analyzer.Terms(w)), StringComparer.Ordinal);
    }

    /// <summary>A question read as far as the encoder needs it: normalised and corrected, with its terms found.</summary>
    public sealed record Prepared(string Cleaned, ChatNormalizer.Result Normalized, string Text, List<(string, string)> Corrections,
        List<string> Terms, Lazy<float[]> Vector);

    public QuestionContext? Read(string cleaned) => Prepare(cleaned) is { } prepared ? Finish(prepared) : null;

    /// <summary>
    /// The first part of reading: the text the question vector is encoded from, and its terms (null when it has none).
    /// The engine starts encoding here while another thread does the rest (<see cref="Finish"/>).
    /// </summary>
    public Prepared? Prepare(string cleaned)
    {
        var normalized = ChatNormalizer.Normalize(cleaned);
        var (text, corrections) = Correct(normalized.Text);
        var terms = _index.Analyzer.Terms(text).Where(t => !_questionStops.Contains(t)).Distinct().Take(MaxTerms).ToList();
        if (terms.Count == 0) return null;
        // MiniLM reads 256 word pieces at most; a wall of text costs time without adding meaning.
        var encoded = text.Length > MaxEncodedChars ? text[..MaxEncodedChars] : text;
        var vector = new Lazy<float[]>(() => _encoder.Encode(encoded), LazyThreadSafetyMode.ExecutionAndPublication);
        return new Prepared(cleaned, normalized, text, corrections, terms, vector);
    }

    /// <summary>The rest of reading: idf, names, type, hints and the other cues the features read.</summary>
    public QuestionContext Finish(Prepared prepared)
    {
        var (cleaned, normalized, text, corrections, terms, vector) = prepared;
        var idf = terms.Select(_index.SentenceIdf).ToArray();
        var names = new List<List<string>>();
        foreach (Match name in QuestionContext.NameWords().Matches(text))
        {
            if (name.Index == 0) continue; // the first word is capitalised anyway
            var nameTerms = _index.Analyzer.Terms(name.Value);
            if (nameTerms.Count > 0) names.Add(nameTerms);
        }
        var words = QuestionContext.WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();
        var prefixes = words.Where(w => w.Length >= 4 && !ShapeWords.Contains(w) && !EnglishStops.Contains(w))
            .Select(Vocabulary.Prefix).Distinct().ToList();
        var type = AnswerTypes.Of(text);
        var asksForKind = AnswerTypes.AsksForKind(text);
        var hints = normalized.ArticleHints.Concat(QuestionContext.CalendarWords().Matches(text).Select(m => m.Value)).ToList();
        return new QuestionContext
        {
            Original = cleaned,
            Text = text,
            Terms = terms,
            Idf = idf,
            TotalIdf = Math.Max(idf.Sum(), 1e-9),
            Bigrams = L.Bigrams(terms).Distinct().ToList(),
            Type = type,
            Focus = AnswerTypes.FocusOf(text, type, asksForKind),
            AsksForKind = asksForKind,
            Names = names,
            Prefixes = prefixes,
            SurfaceWords = new HashSet<string>(words, StringComparer.OrdinalIgnoreCase),
            Negates = QuestionContext.NegationWords().IsMatch(text),
            Currency = QuestionContext.CurrencyOf(text),
            Common = CommonTerms(words, terms),
            Hints = hints,
            Speaker = Speaker(text),
            Corrections = corrections,
            PendingVector = vector,
        };
    }

    private List<string>? Speaker(string text)
    {
        var m = QuestionContext.SpeakerQuestion().Match(text);
        if (!m.Success) return null;
        var terms = _index.Analyzer.Terms(m.Groups["who"].Value).Where(t => !_questionStops.Contains(t)).ToList();
        return terms.Count > 0 ? terms : null;
    }

    /// <summary>Per term: whether a question word that analyses to it alone is a whole word of MiniLM's vocabulary. Each
    /// word is analysed once (this runs for every question).</summary>
    private bool[] CommonTerms(List<string> words, List<string> terms)
    {
        var common = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
            if (_encoder.IsCommonWord(word) && _index.Analyzer.WordTerms(word) is [var only]) common.Add(only);
        return terms.Select(common.Contains).ToArray();
    }

    /// <summary>Replaces words the corpus never uses by the nearest frequent corpus word ("procurment").</summary>
    private (string Text, List<(string, string)> Corrections) Correct(string text)
    {
        var corrections = new List<(string, string)>();
        var vocabulary = _index.Vocabulary;
        var sb = new StringBuilder(text.Length);
        var last = 0;
        foreach (Match w in QuestionContext.WordPattern().Matches(text))
        {
            var word = w.Value;
            if (!word.All(char.IsLetter) || ShapeWords.Contains(word) || EnglishStops.Contains(word)) continue;
            var stems = _index.Analyzer.WordTerms(word);
            if (stems.Count == 0 || stems.Any(t => _index.SentenceDocFreq(t) > 0)) continue; // a known word in another form
            var suggestion = vocabulary.Suggest(word);
            // "unavailable" is not a typo of "available": a word that contains its suggestion is a different word.
            if (suggestion is null || word.Contains(suggestion, StringComparison.OrdinalIgnoreCase)) continue;
            var replacement = char.IsUpper(word[0]) ? char.ToUpperInvariant(suggestion[0]) + suggestion[1..] : suggestion;
            sb.Append(text, last, w.Index - last).Append(replacement);
            last = w.Index + w.Length;
            corrections.Add((word, replacement));
        }
        if (corrections.Count == 0) return (text, corrections);
        sb.Append(text, last, text.Length - last);
        return (sb.ToString(), corrections);
    }
}
