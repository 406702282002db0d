using System.Text.RegularExpressions;
using CaseBot.Core.Answering.Candidates;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Answering.Resources;
using CaseBot.Core.Answering.Retrieval;
using CaseBot.Core.Indexing;
using L = CaseBot.Core.Indexing.IndexLayout;

namespace CaseBot.Core.Answering.Features;

/// <summary>
/// Second stage: measures how well each candidate sentence (with its neighbours and its document) answers the
/// question, as the named <see cref="Feature"/>s the ranker and the decider read.
/// </summary>
public sealed class EvidenceExtractor
{
    private static readonly string[] NegatingPrefixes = ["un", "in", "im", "dis", "non", "ir", "il"];

    private readonly SearchIndex _index;
    private readonly HashSet<string> _numberTerms;
    private readonly Dictionary<string, List<string>> _opposites = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] _docHints;
    private readonly HashSet<string> _speechTerms;
    private readonly sbyte[] _negates;

    public EvidenceExtractor(SearchIndex index)
    {
        _index = index;
        _numberTerms = new HashSet<string>(WordLists.Words("number-words.txt").SelectMany(w => index.Analyzer.Terms(w)), StringComparer.Ordinal);
        foreach (var line in WordLists.Lines("antonyms.txt"))
        {
            var pair = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (pair.Length != 2) continue;
            var a = index.Analyzer.Terms(pair[0]);
            var b = index.Analyzer.Terms(pair[1]);
            if (a.Count != 1 || b.Count != 1 || a[0] == b[0]) continue;
            AddOpposite(a[0], b[0]);
            AddOpposite(b[0], a[0]);
        }
        _speechTerms = new HashSet<string>(WordLists.Words("speech-words.txt").SelectMany(w => index.Analyzer.Terms(w)), StringComparer.Ordinal);
        _negates = new sbyte[index.SentenceCount];
        _docHints = index.Metadata.Select(m => new HashSet<string>(m.HintWords(), StringComparer.OrdinalIgnoreCase)).ToArray();
    }

    /// <summary>
    /// Features of every candidate, in the candidates' order. <paramref name="lexical"/>, when given, holds the
    /// <see cref="Lexical"/> features of the first candidates, worked out while the question vector was on its way; it
    /// is extended and returned.
    /// </summary>
    public List<FeatureVector> Extract(QuestionContext q, Retrieval.Retrieval r, List<FeatureVector>? lexical = null)
    {
        var result = lexical ?? new List<FeatureVector>(r.Candidates.Count);
        result.AddRange(Lexical(q, r.Candidates, r.TopDoc, result.Count));
        var cosines = r.Candidates.Select(c => SentenceCos(q, c.Sentence)).ToArray();
        // Neighbours are often candidates too: their cosine is looked up, not computed again.
        var known = new Dictionary<int, double>(cosines.Length * 2);
        for (var ci = 0; ci < cosines.Length; ci++) known[r.Candidates[ci].Sentence] = cosines[ci];
        var bestCos = cosines.Length > 0 ? cosines.Max() : 0;
        var cosOrder = cosines.Select((v, i) => (v, i)).OrderByDescending(p => p.v).ThenBy(p => p.i).Select(p => p.i).ToArray();
        var cosRank = new int[cosines.Length];
        for (var k = 0; k < cosOrder.Length; k++) cosRank[cosOrder[k]] = k;
        for (var ci = 0; ci < r.Candidates.Count; ci++)
        {
            var f = result[ci];
            var sentence = _index.Sentences[r.Candidates[ci].Sentence];
            var siblings = _index.SentencesOfDocument[sentence.Doc];
            f[Feature.Semantic] = cosines[ci];
            var windowCos = cosines[ci];
            for (var n = sentence.Ordinal - 1; n <= sentence.Ordinal + 1; n += 2)
            {
                if (n < 0 || n >= siblings.Count) continue;
                if (!known.TryGetValue(siblings[n], out var cos)) known[siblings[n]] = cos = SentenceCos(q, siblings[n]);
                windowCos = Math.Max(windowCos, cos);
            }
            f[Feature.SemanticWindow] = windowCos;
            f[Feature.SemanticRank] = 1.0 / (1 + cosRank[ci]);
            f[Feature.SemanticGap] = bestCos - cosines[ci];
            f.ReplaceNonFinite();
        }
        return result;
    }

    /// <summary>
    /// Every feature but the semantic ones, which need the question vector, for the candidates from
    /// <paramref name="from"/> on. <paramref name="topDoc"/> is the best-ranked document.
    /// </summary>
    public List<FeatureVector> Lexical(QuestionContext q, IReadOnlyList<Candidate> candidates, int topDoc, int from = 0)
    {
        // Semantic-only candidates have no BM25; a question none of whose sentences matched lexically scores them 0.
        var maxBm25 = candidates.Count > 0 ? Math.Max(candidates.Max(c => c.Bm25), 1e-9) : 1;
        var maxIdf = Math.Log(1 + (_index.SentenceCount + 0.5) / 0.5);
        double unknown = 0, unknownRare = 0;
        var rare = Rarest(q);
        for (var i = 0; i < q.Terms.Count; i++)
        {
            if (_index.SentenceDocFreq(q.Terms[i]) != 0) continue;
            unknown += q.Idf[i];
            if (!q.Common[i]) unknownRare += q.Idf[i];
        }
        var result = new List<FeatureVector>(Math.Max(0, candidates.Count - from));
        // Sets refilled for each candidate rather than allocated anew: most of this method's garbage was these.
        var sentenceSet = new HashSet<string>(StringComparer.Ordinal);
        var window = new HashSet<string>(StringComparer.Ordinal);
        var questionBigrams = new HashSet<string>(q.Bigrams, StringComparer.Ordinal);
        var bigramsFound = new HashSet<string>(StringComparer.Ordinal);
        for (var ci = from; ci < candidates.Count; ci++)
        {
            var c = candidates[ci];
            var f = new FeatureVector();
            var sentence = _index.Sentences[c.Sentence];
            var terms = _index.SentenceTerms(c.Sentence);
            sentenceSet.Clear();
            sentenceSet.UnionWith(terms);
            window.Clear();
            window.UnionWith(terms);
            bigramsFound.Clear();
            AddBigramsFound(terms, questionBigrams, bigramsFound);
            var siblings = _index.SentencesOfDocument[sentence.Doc];
            var concrete = AnswerTypes.IsConcrete(q.Type);
            var typedNearby = false;
            for (var n = sentence.Ordinal - 1; n <= sentence.Ordinal + 1; n += 2)
            {
                if (n < 0 || n >= siblings.Count) continue;
                if (concrete && !typedNearby) typedNearby = _index.SentenceSpans(siblings[n]).Any(s => TypedSpans.Answers(q.Type, s.Type) && !Echoes(q, s));
                var nt = _index.SentenceTerms(siblings[n]);
                window.UnionWith(nt);
                AddBigramsFound(nt, questionBigrams, bigramsFound);
            }

            double found = 0, inWindow = 0, maxMissing = 0;
            bool contrast = false, numberMissing = false;
            for (var i = 0; i < q.Terms.Count; i++)
            {
                var term = q.Terms[i];
                if (sentenceSet.Contains(term)) found += q.Idf[i];
                if (window.Contains(term)) inWindow += q.Idf[i];
                else
                {
                    maxMissing = Math.Max(maxMissing, q.Idf[i] / maxIdf);
                    if (!contrast) contrast = OppositeIn(term, window);
                    if (!numberMissing) numberMissing = IsNumber(term);
                }
            }
            var prefixes = _index.SentencePrefixes(c.Sentence);
            var spans = _index.SentenceSpans(c.Sentence);
            var typed = concrete ? spans.Count(s => TypedSpans.Answers(q.Type, s.Type) && !Echoes(q, s)) : 0;

            f[Feature.Bm25Relative] = c.Bm25 / maxBm25;
            f[Feature.Bm25PerIdf] = c.Bm25 / q.TotalIdf;
            f[Feature.Bm25Rank] = 1.0 / (1 + c.Bm25Rank);
            f[Feature.Coverage] = found / q.TotalIdf;
            f[Feature.WindowCoverage] = inWindow / q.TotalIdf;
            f[Feature.PrefixCoverage] = q.Prefixes.Count == 0 ? 0 : q.Prefixes.Count(prefixes.Contains) / (double)q.Prefixes.Count;
            f[Feature.BigramCoverage] = q.Bigrams.Count == 0 ? 1 : bigramsFound.Count / (double)q.Bigrams.Count;
            f[Feature.DocRelative] = c.DocRelative;
            f[Feature.DocRank] = 1.0 / (1 + c.DocRank);
            f[Feature.TopDoc] = sentence.Doc == topDoc ? 1 : 0;
            f[Feature.TypedFound] = typed > 0 ? 1 : 0;
            f[Feature.TypedCount] = Math.Min(typed, 3) / 3.0;
            f[Feature.Kind] = (int)q.Type;
            f[Feature.Length] = Math.Min(terms.Length, 60) / 60.0;
            f[Feature.Position] = siblings.Count <= 1 ? 0 : sentence.Ordinal / (double)(siblings.Count - 1);
            f[Feature.Heading] = sentence.IsHeading ? 1 : 0;
            (f[Feature.NameCoverage], f[Feature.WorstName]) = NameCoverage(q, window);
            f[Feature.RareCoverage] = rare.Count == 0 ? 1 : rare.Count(sentenceSet.Contains) / (double)rare.Count;
            f[Feature.RareWindow] = rare.Count == 0 ? 1 : rare.Count(window.Contains) / (double)rare.Count;
            f[Feature.NegationMismatch] = q.Negates != Negates(c.Sentence) ? 1 : 0;
            f[Feature.Contrast] = contrast ? 1 : 0;
            f[Feature.NumberMismatch] = numberMissing && window.Any(IsNumber) ? 1 : 0;
            f[Feature.UnknownShare] = unknown / q.TotalIdf;
            f[Feature.UnknownRareShare] = unknownRare / q.TotalIdf;
            f[Feature.QueryTerms] = Math.Min(q.Terms.Count, 10) / 10.0;
            f[Feature.OrderAgreement] = OrderAgreement(q.Terms, terms);
            f[Feature.MetaMatch] = q.Hints.Count > 0 && q.Hints.Any(_docHints[sentence.Doc].Contains) ? 1 : 0;
            f[Feature.MaxMissing] = maxMissing;
            f[Feature.CurrencyMatch] = q.Currency != '\0' && spans.Any(s => s.Type == AnswerType.Money && s.Currency == q.Currency) ? 1 : 0;
            f[Feature.TypedInWindow] = typed > 0 || typedNearby ? 1 : 0;
            f[Feature.Concrete] = concrete ? 1 : 0;
            f[Feature.CorpusScale] = Math.Round(Math.Log10(Math.Max(10, _index.SentenceCount)) / 5, 2);
            f.ReplaceNonFinite();
            result.Add(f);
        }
        return result;
    }

    /// <summary>
    /// Adds to <paramref name="found"/> each question bigram that <paramref name="terms"/> hold, as
    /// <see cref="L.Bigrams"/> would spell it, without building the sentence's bigram strings.
    /// </summary>
    private static void AddBigramsFound(string[] terms, HashSet<string> questionBigrams, HashSet<string> found)
    {
        if (questionBigrams.Count == 0) return;
        var lookup = questionBigrams.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[128];
        string? previous = null;
        foreach (var term in terms)
        {
            if (term.StartsWith(CaseAnalyzer.AliasPrefix, StringComparison.Ordinal)) continue;
            if (previous is not null)
            {
                var length = previous.Length + 1 + term.Length;
                if (length > buffer.Length)
                {
                    var bigram = previous + L.BigramJoiner + term;
                    if (questionBigrams.Contains(bigram)) found.Add(bigram);
                }
                else
                {
                    previous.AsSpan().CopyTo(buffer);
                    buffer[previous.Length] = L.BigramJoiner;
                    term.AsSpan().CopyTo(buffer[(previous.Length + 1)..]);
                    if (lookup.TryGetValue(buffer[..length], out var bigram)) found.Add(bigram);
                }
            }
            previous = term;
        }
    }

    /// <summary>
    /// For a question about someone's words ("what did Peter Thiel say"): whether a term of the speaker stands as the
    /// subject of a speech verb in the sentence, up to eight terms before it ("Palantir rejected", "Labour MP Stella
    /// Creasy criticized") or two after ("said Khan", "according to Mosley"). A sentence that only mentions the speaker
    /// ("co-founded by Peter Thiel") does not tell what the speaker said. True for every other question.
    /// </summary>
    public bool Attributed(QuestionContext q, int sentence)
    {
        if (q.Speaker is not { } speaker) return true;
        var terms = _index.SentenceTerms(sentence);
        for (var i = 0; i < terms.Length; i++)
        {
            if (!speaker.Contains(terms[i])) continue;
            for (var j = Math.Max(0, i - 2); j <= Math.Min(terms.Length - 1, i + 8); j++)
                if (j != i && _speechTerms.Contains(terms[j])) return true;
        }
        return false;
    }

    /// <summary>Characters between a "a national newspaper" mention and a name that names it ("…, the Guardian").</summary>
    private const int NameReach = 12;

    /// <summary>
    /// Whether a sentence names what a "which national newspaper …" question asks for: false when it only says "a
    /// national newspaper" (no new name of the asked-for kind stands beside that mention, as in "a national newspaper,
    /// the Guardian," or "the Guardian, a national newspaper"), true when a name stands beside the mention, null when the
    /// question asks for no such noun or the sentence does not mention one ("several police forces" is no "a force").
    /// </summary>
    public bool? NamesFocus(QuestionContext q, int sentence)
    {
        if (q.Focus is not { } focus) return null;
        var text = _index.SentenceText(sentence);
        var mention = Regex.Match(text, @"\b(?:a|an|another|one)\s+(?:[\p{L}\p{N}’'‑-]+\s+){0,3}?" + Regex.Escape(focus) + @"\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!mention.Success) return null;
        return _index.SentenceSpans(sentence).Any(s => TypedSpans.Answers(q.Type, s.Type) && !Echoes(q, s)
            && (s.Start + s.Length <= mention.Index && mention.Index - (s.Start + s.Length) <= NameReach
                || s.Start >= mention.Index + mention.Length && s.Start - (mention.Index + mention.Length) <= NameReach));
    }

    private double SentenceCos(QuestionContext q, int sentence) =>
        Math.Round(Indexing.Embeddings.SentenceEmbedder.Cosine(q.Vector, _index.Vectors[sentence]), 4);

    /// <summary>A span whose every word the question already says is no answer to it ("Palantir" for "who is Palantir").</summary>
    public static bool Echoes(QuestionContext q, string span)
    {
        var words = QuestionContext.WordPattern().Matches(span);
        return words.Count > 0 && words.All(w => q.SurfaceWords.Contains(w.Value));
    }

    /// <summary>The same for a recognised span, from the words it keeps.</summary>
    public static bool Echoes(QuestionContext q, TypedSpan span) => span.Words.Length > 0 && Array.TrueForAll(span.Words, q.SurfaceWords.Contains);

    /// <summary>Whether a sentence negates, read once per sentence: every question asks it of each of its candidates.</summary>
    private bool Negates(int sentence)
    {
        var known = _negates[sentence];
        if (known != 0) return known > 0;
        var negates = QuestionContext.NegationWords().IsMatch(_index.SentenceText(sentence));
        _negates[sentence] = negates ? (sbyte)1 : (sbyte)-1; // a benign race: every thread writes the same value
        return negates;
    }

    private static List<string> Rarest(QuestionContext q) =>
        q.Terms.Select((t, i) => (t, q.Idf[i])).OrderByDescending(p => p.Item2).Take(2).Select(p => p.t).ToList();

    /// <summary>The mean and the least share of each question name's terms found in the window (an alias counts whole).</summary>
    private static (double Mean, double Worst) NameCoverage(QuestionContext q, HashSet<string> window)
    {
        if (q.Names.Count == 0) return (1, 1);
        double found = 0, worst = 1;
        foreach (var name in q.Names)
        {
            var share = name.Any(t => t.StartsWith(CaseAnalyzer.AliasPrefix, StringComparison.Ordinal) && window.Contains(t)) ? 1 : name.Count(window.Contains) / (double)name.Count;
            found += share;
            worst = Math.Min(worst, share);
        }
        return (found / q.Names.Count, worst);
    }

    private static double OrderAgreement(List<string> question, string[] sentence)
    {
        int concordant = 0, pairs = 0;
        var positions = new List<int>();
        foreach (var term in question)
        {
            var at = Array.IndexOf(sentence, term);
            if (at < 0) continue;
            foreach (var before in positions) { pairs++; if (before < at) concordant++; }
            positions.Add(at);
        }
        return pairs == 0 ? 1.0 : concordant / (double)pairs;
    }

    private void AddOpposite(string term, string opposite)
    {
        if (!_opposites.TryGetValue(term, out var list)) _opposites[term] = list = [];
        if (!list.Contains(opposite)) list.Add(opposite);
    }

    /// <summary>A question term the window lacks while holding its opposite: an antonym, or the word with or without a negating prefix.</summary>
    private bool OppositeIn(string term, HashSet<string> window)
    {
        if (_opposites.TryGetValue(term, out var list) && list.Exists(window.Contains)) return true;
        var lookup = window.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var prefix in NegatingPrefixes)
        {
            if (term.Length >= prefix.Length + 4 && term.StartsWith(prefix, StringComparison.Ordinal) && lookup.Contains(term.AsSpan(prefix.Length))) return true;
            if (term.Length >= 4 && ContainsJoined(window, prefix, term)) return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="set"/> holds <paramref name="a"/> + <paramref name="b"/>, joined on the stack.</summary>
    private static bool ContainsJoined(HashSet<string> set, string a, string b)
    {
        var length = a.Length + b.Length;
        if (length > 64) return set.Contains(a + b);
        Span<char> buffer = stackalloc char[64];
        a.AsSpan().CopyTo(buffer);
        b.AsSpan().CopyTo(buffer[a.Length..]);
        return set.GetAlternateLookup<ReadOnlySpan<char>>().Contains(buffer[..length]);
    }

    private bool IsNumber(string term) => char.IsDigit(term[0]) || _numberTerms.Contains(term);
}
