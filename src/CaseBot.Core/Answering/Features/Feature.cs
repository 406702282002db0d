namespace CaseBot.Core.Answering.Features;

/// <summary>
/// The named inputs of the ranker and the decider. Every one is scale-free, so one model serves a five-article case
/// and a thousand-paragraph yardstick. Models store the names they were fitted on, so a renamed or reordered feature
/// fails loudly at load instead of silently scoring garbage.
/// </summary>
public enum Feature
{
    // ---- per candidate sentence (the ranker's inputs) ----
    Bm25Relative,     // sentence BM25 over the best candidate's
    Bm25PerIdf,       // sentence BM25 over the question's total idf
    Bm25Rank,         // 1 / (1 + rank among the candidates by BM25)
    Coverage,         // idf-weighted share of question terms in the sentence
    WindowCoverage,   // the same over the sentence and its neighbours
    PrefixCoverage,   // share of question words whose first five letters start a word of the sentence (robust to stems and typos)
    BigramCoverage,   // share of the question's adjacent term pairs in the window
    DocRelative,      // the document's BM25 over the best document's
    DocRank,          // 1 / (1 + the document's rank)
    TopDoc,           // 1 when the sentence comes from the top-ranked document
    TypedFound,       // 1 when the question wants a concrete type and the sentence holds a new candidate of it
    TypedCount,       // such candidates, up to three, over three
    Kind,             // the asked-for AnswerType as a number (trees split on it)
    Length,           // words in the sentence, up to sixty, over sixty
    Position,         // the sentence's place in its document, 0 first, 1 last
    Heading,          // 1 for a heading or metadata line
    NameCoverage,     // share of the question's names and numbers found in the window
    RareCoverage,     // share of the question's two rarest terms in the sentence
    RareWindow,       // the same over the window
    NegationMismatch, // 1 when exactly one of question and sentence negates
    Contrast,         // a question term missing while its opposite is there (antonym, un-/dis- form)
    NumberMismatch,   // the question's number missing from the window while another number is there
    UnknownShare,     // idf-weighted share of question terms found nowhere in the corpus
    QueryTerms,       // question terms, up to ten, over ten
    OrderAgreement,   // share of question-term pairs the sentence holds in the question's order
    MetaMatch,        // 1 when the question points at an article (a month, "explainer") and this document's metadata matches
    MaxMissing,       // the rarest question term missing from the window, as a share of the highest idf
    CurrencyMatch,    // 1 when the question names a currency and the sentence holds a sum in it
    TypedInWindow,    // 1 when the question wants a concrete type and the sentence or a neighbour holds a new candidate of it
    Concrete,         // 1 when the question wants a concrete type (a name, a sum, a date)
    Semantic,         // MiniLM cosine of question and sentence
    SemanticWindow,   // the best cosine among the sentence and its neighbours
    SemanticRank,     // 1 / (1 + rank among the candidates by cosine)
    SemanticGap,      // the best candidate's cosine minus this one's
    CorpusScale,      // log10 of the corpus's sentences over five: what a BM25 score or a missing word means depends on it
    WorstName,        // the least-found of the question's names in the window ("Ministry of Justice" beside "Ministry of Defence": 0.5)
    UnknownRareShare, // UnknownShare over the rare words only: a chat word the corpus never uses ("want") is weaker evidence than a name or number
    // ---- per question, after ranking (the decider's extra inputs) ----
    RankScore,        // the ranker's probability for the chosen sentence
    RankMargin,       // that minus the runner-up's
    RankSecond,       // the runner-up's probability
    ShortFound,       // 1 when a short answer of the wanted type was cut from the quote
}

/// <summary>Feature values addressed by name; the model maps its stored names onto these slots once.</summary>
public sealed class FeatureVector
{
    public static readonly int Count = Enum.GetValues<Feature>().Length;
    public static readonly string[] Names = Enum.GetNames<Feature>();
    public const int CandidateCount = (int)Feature.RankScore;

    private readonly double[] _values = new double[Count];

    public double this[Feature f]
    {
        get => _values[(int)f];
        set => _values[(int)f] = value;
    }

    public double[] Values => _values;

    /// <summary>A ratio over an empty total is no evidence: NaN and infinities become 0 (and JSON stays valid).</summary>
    public void ReplaceNonFinite()
    {
        for (var i = 0; i < _values.Length; i++)
            if (!double.IsFinite(_values[i])) _values[i] = 0;
    }

    public FeatureVector Copy()
    {
        var copy = new FeatureVector();
        _values.CopyTo(copy._values, 0);
        return copy;
    }

    /// <summary>Name → value, for explanations and run files.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary() =>
        Names.Select((n, i) => (n, _values[i])).ToDictionary(p => p.n, p => Math.Round(p.Item2, 4));
}
