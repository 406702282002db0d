using System.Diagnostics;
using System.Text;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;
using L = CaseBot.Core.Indexing.IndexLayout;

namespace CaseBot.Core.Answering;

/// <summary>
/// Answers a question from one opened index: ranks documents (paragraph BM25 plus their best sentence), picks the
/// sentence to quote, decides whether it really answers, and cuts a short span from it. Stateless per question and
/// thread-safe.
/// </summary>
public sealed partial class AnswerEngine
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(not|never|no|none|nobody|nothing|neither|nor|without)\b|n't\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex NegationWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b\p{Lu}[\p{L}\p{M}'’\-]+(?:\s+\p{Lu}[\p{L}\p{M}'’\-]+)*|\b\d[\d,.]*", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex NameWords();

    private readonly SearchIndex index;
    private readonly EngineSettings settings;
    private readonly IndexSearcher searcher;
    private readonly AbstentionModel model;

    /// <summary>Words that shape a question but are not what it is about; the index keeps them, queries drop them.</summary>
    private static readonly string[] QuestionWords =
    [
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "do", "does", "did", "done", "doing",
        "many", "much", "name", "named", "kind", "type", "have", "has", "had", "can", "could", "would", "should",
        "was", "were", "been", "being", "am", "i", "you", "me", "we", "us", "our", "your", "tell", "about", "according",
        "some", "any", "one", "ones", "also", "other", "s",
    ];

    private readonly HashSet<string> questionStops;

    /// <summary>Number words, so "two months" against "one month" reads as a swapped number.</summary>
    private static readonly string[] NumberWords =
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "billion"];

    /// <summary>
    /// Common English opposites. Unanswerable questions are often a true statement with one word turned round
    /// ("least favourite" for "esteemed", "unavailable" for "available"); general vocabulary, no case or yardstick words.
    /// </summary>
    private static readonly string[][] Antonyms =
    [
        ["increase", "decrease"], ["rise", "fall"], ["more", "less"], ["most", "least"], ["first", "last"], ["before", "after"],
        ["largest", "smallest"], ["biggest", "smallest"], ["high", "low"], ["higher", "lower"], ["highest", "lowest"], ["early", "late"],
        ["earliest", "latest"], ["begin", "end"], ["start", "end"], ["north", "south"], ["east", "west"], ["win", "lose"], ["won", "lost"],
        ["major", "minor"], ["maximum", "minimum"], ["best", "worst"], ["better", "worse"], ["old", "new"], ["oldest", "newest"],
        ["young", "old"], ["youngest", "oldest"], ["long", "short"], ["longest", "shortest"], ["large", "small"], ["strong", "weak"],
        ["positive", "negative"], ["accept", "reject"], ["allow", "forbid"], ["allow", "prohibit"], ["open", "close"], ["private", "public"],
        ["inside", "outside"], ["internal", "external"], ["upper", "lower"], ["above", "below"], ["same", "different"], ["success", "failure"],
        ["true", "false"], ["rich", "poor"], ["male", "female"], ["support", "oppose"], ["include", "exclude"], ["import", "export"],
        ["buy", "sell"], ["give", "receive"], ["gain", "loss"], ["attack", "defend"], ["top", "bottom"], ["common", "rare"],
        ["modern", "ancient"], ["free", "paid"], ["cold", "hot"], ["dry", "wet"], ["fast", "slow"], ["increase", "reduce"],
        ["add", "remove"], ["enter", "leave"], ["arrive", "depart"], ["birth", "death"], ["born", "died"], ["war", "peace"],
        ["ally", "enemy"], ["victory", "defeat"], ["western", "eastern"], ["northern", "southern"], ["left", "right"], ["full", "empty"],
        ["always", "never"], ["many", "few"], ["all", "none"], ["expand", "shrink"], ["heavy", "light"], ["wide", "narrow"],
        ["deep", "shallow"], ["thick", "thin"], ["hard", "soft"], ["easy", "difficult"], ["cheap", "expensive"],
        ["safe", "dangerous"], ["legal", "illegal"], ["love", "hate"], ["like", "dislike"], ["good", "bad"], ["happy", "sad"],
        ["light", "dark"], ["black", "white"], ["past", "future"], ["ancient", "recent"], ["previous", "next"],
        ["former", "latter"], ["primary", "secondary"], ["minority", "majority"], ["urban", "rural"], ["domestic", "foreign"],
        ["temporary", "permanent"], ["create", "destroy"], ["build", "destroy"], ["lend", "borrow"], ["push", "pull"],
        ["send", "receive"], ["teach", "learn"], ["appear", "disappear"], ["connect", "separate"], ["join", "leave"],
        ["raise", "lower"], ["promote", "demote"], ["hire", "fire"], ["input", "output"], ["smaller", "larger"],
        ["older", "younger"], ["later", "earlier"], ["shorter", "longer"], ["weaker", "stronger"],
    ];

    private static readonly string[] NegatingPrefixes = ["un", "in", "im", "dis", "non", "ir", "il"];

    private readonly HashSet<string> numberTerms;
    private readonly Dictionary<string, List<string>> opposites;

    private void AddOpposite(string term, string opposite)
    {
        if (!opposites.TryGetValue(term, out var list)) opposites[term] = list = [];
        if (!list.Contains(opposite)) list.Add(opposite);
    }

    /// <summary>A question term the window lacks while holding its opposite: an antonym, or the word with or without a negating prefix.</summary>
    private bool OppositeInWindow(string term, HashSet<string> window)
    {
        if (opposites.TryGetValue(term, out var list) && list.Exists(window.Contains)) return true;
        foreach (var prefix in NegatingPrefixes)
        {
            if (term.Length >= prefix.Length + 4 && term.StartsWith(prefix, StringComparison.Ordinal) && window.Contains(term[prefix.Length..])) return true;
            if (term.Length >= 4 && window.Contains(prefix + term)) return true;
        }
        return false;
    }

    private bool IsNumber(string term) => char.IsDigit(term[0]) || numberTerms.Contains(term);

    public AnswerEngine(SearchIndex index, EngineSettings settings, AbstentionModel? model = null)
    {
        this.model = model ?? AbstentionModel.Default;
        if (settings.AnswerThreshold >= 0) this.model = this.model with { Threshold = settings.AnswerThreshold };
        this.index = index;
        this.settings = settings;
        questionStops = new HashSet<string>(QuestionWords.SelectMany(w => index.Analyzer.Terms(w)), StringComparer.Ordinal);
        numberTerms = new HashSet<string>(NumberWords.SelectMany(w => index.Analyzer.Terms(w)), StringComparer.Ordinal);
        opposites = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in Antonyms)
        {
            var a = index.Analyzer.Terms(pair[0]);
            var b = index.Analyzer.Terms(pair[1]);
            if (a.Count != 1 || b.Count != 1 || a[0] == b[0]) continue;
            AddOpposite(a[0], b[0]);
            AddOpposite(b[0], a[0]);
        }
        searcher = new IndexSearcher(index.Searcher.IndexReader) { Similarity = new FieldBm25Similarity(settings.Bm25K1, settings.Bm25B) };
    }

    public const string DeclineText = "The case documents don't say.";
    public const string UsageText = "Ask a question about the case, for example: \"Why did City Hall block the Palantir contract?\"";
    private const int MaxQuestionChars = 1000;
    private const int MaxTerms = 48;
    private const int TypedCandidates = 12;

    public SearchIndex Index => index;
    public EngineSettings Settings => settings;

    public Answer Ask(string? question)
    {
        var clock = Stopwatch.StartNew();
        var cleaned = Clean(question);
        if (cleaned.Length == 0)
            return new Answer { Question = question ?? "", Answered = false, Text = UsageText, IsUsageError = true, Milliseconds = Ms(clock) };

        var terms = index.Analyzer.Terms(cleaned).Where(t => !questionStops.Contains(t)).Distinct().Take(MaxTerms).ToList();
        if (terms.Count == 0)
            return Decline(cleaned, [], null, clock);

        var bigrams = L.Bigrams(terms).Distinct().ToList();
        var docHits = Search(TermsQuery(L.DocumentText, terms, L.DocumentBigrams, bigrams, settings.DocBigramWeight), settings.DocumentCandidates);
        var sentenceHits = Search(TermsQuery(L.SentenceText, terms, L.SentenceBigrams, bigrams, settings.SentenceBigramWeight), settings.SentenceCandidates);
        if (docHits.Length == 0 && sentenceHits.Length == 0)
            return Decline(cleaned, [], null, clock);

        // Document rank: paragraph BM25 plus the best sentence inside it, each scaled by the best of its kind.
        var maxDoc = docHits.Length > 0 ? docHits[0].Score : 1f;
        var maxSentence = sentenceHits.Length > 0 ? sentenceHits[0].Score : 1f;
        var docScore = new Dictionary<int, double>();
        foreach (var hit in docHits) docScore[index.DocumentOf(hit.Doc)] = hit.Score / maxDoc;
        var bestSentenceOfDoc = new Dictionary<int, double>();
        foreach (var hit in sentenceHits)
        {
            var d = index.Sentences[index.SentenceOf(hit.Doc)].Doc;
            if (!bestSentenceOfDoc.ContainsKey(d)) bestSentenceOfDoc[d] = hit.Score / maxSentence;
        }
        foreach (var (d, s) in bestSentenceOfDoc)
            docScore[d] = docScore.GetValueOrDefault(d) + settings.DocSentenceWeight * s;
        var ranked = docScore.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).ToList();
        var rankedDocs = ranked.Select(kv => new RankedDoc(index.Documents[kv.Key].Id, Math.Round(kv.Value, 4))).ToList();
        var topDocScore = ranked[0].Value;

        var kind = QuestionType.Of(cleaned);
        var scored = new List<(int Sentence, double Score, double Bm25)>();
        foreach (var hit in sentenceHits)
        {
            var s = index.SentenceOf(hit.Doc);
            var sentence = index.Sentences[s];
            if (sentence.IsHeading) continue;
            var score = hit.Score / maxSentence + settings.SentenceDocWeight * docScore.GetValueOrDefault(sentence.Doc) / topDocScore;
            scored.Add((s, score, hit.Score));
        }
        if (scored.Count == 0)
            return Decline(cleaned, rankedDocs, rankedDocs[0].DocId, clock);
        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        var questionStems = ShortAnswer.QuestionStems(cleaned, Stem);
        var typedSpans = new Dictionary<int, string?>(); // per sentence: the typed span, looked for once
        string? TypedSpan(int sentence)
        {
            if (!typedSpans.TryGetValue(sentence, out var span))
                typedSpans[sentence] = span = ShortAnswer.Extract(questionStems, index.SentenceText(sentence), kind, Stem);
            return span;
        }
        if (kind != AnswerKind.Other && settings.TypeBonus > 0)
        {
            // Only the leaders can overtake with the bonus; looking for typed spans in every candidate is the slow part.
            for (var i = 0; i < Math.Min(scored.Count, TypedCandidates); i++)
            {
                if (scored[i].Score + settings.TypeBonus < scored[0].Score) break;
                if (TypedSpan(scored[i].Sentence) is not null)
                    scored[i] = scored[i] with { Score = scored[i].Score + settings.TypeBonus };
            }
            scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        }
        var best = scored[0];
        var bestText = index.SentenceText(best.Sentence);

        var docMargin = ranked.Count > 1 ? (ranked[0].Value - ranked[1].Value) / ranked[0].Value : 1;
        var evidence = Assess(terms, scored, kind, cleaned, docMargin, kind != AnswerKind.Other && TypedSpan(scored[0].Sentence) is not null, ranked[0].Key);
        var confidence = model.Probability(evidence);
        LastEvidence = evidence;
        if (confidence < model.Threshold || evidence.Coverage < settings.MinCoverage)
            return Decline(cleaned, rankedDocs, index.Documents[index.Sentences[best.Sentence].Doc].Id, clock) with { Confidence = confidence, Evidence = evidence };

        var chosen = new List<int> { best.Sentence };
        if (scored.Count > 1 && scored[1].Score >= settings.SecondSentenceRatio * best.Score) chosen.Add(scored[1].Sentence);
        var citations = chosen.Select(s => Cite(s)).ToList();
        var shortAnswer = ShortAnswer.Extract(questionStems, citations[0].Quote, kind, Stem);
        return new Answer
        {
            Question = cleaned,
            Answered = true,
            Text = string.Join("\n", citations.Select(c => $"[{c.DocId}] {c.Quote}")),
            Short = shortAnswer,
            Citations = citations,
            Docs = rankedDocs,
            Confidence = confidence,
            Evidence = evidence,
            Milliseconds = Ms(clock),
        };
    }

    /// <summary>The evidence behind the last decision on this thread (for tuning runs).</summary>
    [ThreadStatic] internal static Evidence? LastEvidence;

    private Evidence Assess(List<string> terms, List<(int Sentence, double Score, double Bm25)> scored, AnswerKind kind, string question, double docMargin, bool typedFound, int topDoc)
    {
        var best = scored[0].Sentence;
        var text = index.SentenceText(best);
        var sentenceTermList = index.Analyzer.Terms(text);
        var sentenceTerms = new HashSet<string>(sentenceTermList, StringComparer.Ordinal);
        var window = new HashSet<string>(sentenceTerms, StringComparer.Ordinal);
        var windowBigrams = new HashSet<string>(L.Bigrams(sentenceTermList), StringComparer.Ordinal);
        var sentence = index.Sentences[best];
        var siblings = index.SentencesOfDocument[sentence.Doc];
        foreach (var neighbour in new[] { sentence.Ordinal - 1, sentence.Ordinal + 1 })
        {
            if (neighbour < 0 || neighbour >= siblings.Count) continue;
            var neighbourTerms = index.Analyzer.Terms(index.SentenceText(siblings[neighbour]));
            window.UnionWith(neighbourTerms);
            windowBigrams.UnionWith(L.Bigrams(neighbourTerms));
        }
        // A name counts as found when the window holds its alias group, else by the share of its words found.
        double namesFound = 0;
        var nameCount = 0;
        foreach (System.Text.RegularExpressions.Match name in NameWords().Matches(question))
        {
            if (name.Index == 0) continue; // the first word is capitalised anyway
            var nameTerms = index.Analyzer.Terms(name.Value);
            if (nameTerms.Count == 0) continue;
            nameCount++;
            namesFound += nameTerms.Any(t => t.StartsWith("zzalias", StringComparison.Ordinal) && window.Contains(t))
                ? 1
                : nameTerms.Count(window.Contains) / (double)nameTerms.Count;
        }
        var nameCoverage = nameCount == 0 ? 1.0 : namesFound / nameCount;
        var questionBigrams = L.Bigrams(terms).ToList();
        var bigramCoverage = questionBigrams.Count == 0 ? 1.0 : questionBigrams.Count(windowBigrams.Contains) / (double)questionBigrams.Count;

        double total = 0, found = 0, inWindow = 0, unknown = 0, maxMissing = 0;
        var missing = 0;
        bool contrast = false, numberMissing = false;
        var maxIdf = Math.Log(1 + (index.SentenceCount + 0.5) / 0.5);
        // The two rarest terms: adversarial unanswerables keep the common words and swap a rare one.
        double idf1 = -1, idf2 = -1;
        string? rare1 = null, rare2 = null;
        foreach (var term in terms)
        {
            var idf = index.SentenceIdf(term);
            total += idf;
            if (sentenceTerms.Contains(term)) found += idf;
            if (window.Contains(term)) inWindow += idf;
            else
            {
                maxMissing = Math.Max(maxMissing, idf / maxIdf);
                missing++;
                if (!contrast) contrast = OppositeInWindow(term, window);
                if (!numberMissing) numberMissing = IsNumber(term);
            }
            if (index.SentenceDocFreq(term) == 0) unknown += idf;
            if (idf > idf1) { idf2 = idf1; rare2 = rare1; idf1 = idf; rare1 = term; }
            else if (idf > idf2) { idf2 = idf; rare2 = term; }
        }
        var numberMismatch = numberMissing && window.Any(IsNumber);
        // Word order: "X surrounds Y" asked as "what surrounds X" keeps the words and swaps their roles.
        int concordant = 0, pairs = 0;
        var positions = new List<int>();
        foreach (var term in terms)
        {
            var at = sentenceTermList.IndexOf(term);
            if (at < 0) continue;
            foreach (var before in positions) { pairs++; if (before < at) concordant++; }
            positions.Add(at);
        }
        var orderAgreement = pairs == 0 ? 1.0 : concordant / (double)pairs;
        var rareCount = rare2 is null ? 1 : 2;
        var rareSentence = ((rare1 is not null && sentenceTerms.Contains(rare1) ? 1 : 0) + (rare2 is not null && sentenceTerms.Contains(rare2) ? 1 : 0)) / (double)rareCount;
        var rareWindow = ((rare1 is not null && window.Contains(rare1) ? 1 : 0) + (rare2 is not null && window.Contains(rare2) ? 1 : 0)) / (double)rareCount;
        var typed = kind != AnswerKind.Other;
        var bestScore = scored[0].Score;
        var margin = scored.Count > 1 && bestScore > 0 ? (bestScore - scored[1].Score) / bestScore : 1;
        var questionNegates = NegationWords().IsMatch(question);
        var sentenceNegates = NegationWords().IsMatch(text);
        return new Evidence(found / total, inWindow / total, unknown / total, maxMissing, typed && !typedFound ? 1 : 0, typedFound ? 1 : 0,
            scored[0].Bm25 / total, margin, bigramCoverage, questionNegates ? 1 : 0, Math.Min(terms.Count, 10) / 10.0,
            nameCoverage, docMargin, (int)kind, rareSentence, rareWindow, sentence.Doc == topDoc ? 1 : 0,
            questionNegates != sentenceNegates ? 1 : 0, Math.Min(missing, 5) / 5.0, Math.Min(sentenceTermList.Count, 60) / 60.0,
            orderAgreement, contrast ? 1 : 0, numberMismatch ? 1 : 0);
    }

    /// <summary>
    /// Top hits with an in-order collector: for pure OR queries Lucene otherwise picks its out-of-order scorer, whose
    /// 2,048-bucket table is allocated anew for every query (about 100 KB a search here).
    /// </summary>
    private ScoreDoc[] Search(Query query, int n)
    {
        var collector = TopScoreDocCollector.Create(n, docsScoredInOrder: true);
        searcher.Search(query, collector);
        return collector.GetTopDocs().ScoreDocs;
    }

    private static BooleanQuery TermsQuery(string field, List<string> terms, string bigramField, List<string> bigrams, double bigramWeight)
    {
        var query = new BooleanQuery();
        foreach (var term in terms) query.Add(new TermQuery(new Term(field, term)), Occur.SHOULD);
        if (bigramWeight > 0)
            foreach (var bigram in bigrams) query.Add(new TermQuery(new Term(bigramField, bigram)) { Boost = (float)bigramWeight }, Occur.SHOULD);
        return query;
    }

    private Citation Cite(int sentence)
    {
        var doc = index.Documents[index.Sentences[sentence].Doc];
        return new Citation(doc.Id, doc.Title, Quote(index.SentenceText(sentence)));
    }

    /// <summary>Trims what footnote removal can leave behind (<c>million,.</c>) without leaving the document's words.</summary>
    internal static string Quote(string sentence)
    {
        var s = sentence.Trim();
        if (s.EndsWith(",.", StringComparison.Ordinal)) s = s[..^2];
        return s.TrimEnd(',', ';', ' ');
    }

    /// <summary>Stems by the index's own analysis, cached: short-answer picking stems every word of every candidate.</summary>
    private string Stem(string word)
    {
        if (stems.TryGetValue(word, out var stem)) return stem;
        var terms = index.Analyzer.Terms(word);
        stem = terms.Count > 0 ? terms[0] : word.ToLowerInvariant();
        if (stems.Count < MaxCachedStems) stems.TryAdd(word, stem);
        return stem;
    }

    private const int MaxCachedStems = 200_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> stems = new(StringComparer.Ordinal);

    private static Answer Decline(string question, IReadOnlyList<RankedDoc> docs, string? closest, Stopwatch clock) => new()
    {
        Question = question,
        Answered = false,
        Text = DeclineText,
        Docs = docs,
        ClosestDocId = closest,
        Milliseconds = Ms(clock),
    };

    private static double Ms(Stopwatch clock) => clock.Elapsed.TotalMilliseconds;

    /// <summary>Control characters become spaces; runs of space fold; overly long input is cut.</summary>
    internal static string Clean(string? question)
    {
        if (string.IsNullOrWhiteSpace(question)) return "";
        var sb = new StringBuilder(Math.Min(question.Length, MaxQuestionChars));
        var space = false;
        foreach (var c in question)
        {
            if (sb.Length >= MaxQuestionChars) break;
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (!space && sb.Length > 0) sb.Append(' ');
                space = true;
                continue;
            }
            sb.Append(c);
            space = false;
        }
        return sb.ToString().Trim();
    }
}
