using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;
using L = CaseBot.Core.Indexing.IndexLayout;

namespace CaseBot.Core.Answering.Retrieval;

/// <summary>A sentence the retriever found, with its BM25 and its document's standing.</summary>
public sealed record Candidate(int Sentence, double Bm25, int Bm25Rank, double DocRelative, int DocRank);

/// <summary>What retrieval found for one question: candidate sentences ranked among all sentences (the document is
/// context, not a gate), and the documents ranked by their own BM25 plus their best sentence.</summary>
public sealed record Retrieval(List<Candidate> Candidates, List<RankedDoc> Docs, int TopDoc);

/// <summary>
/// What the lexical stage found: its quotable candidates, the top document, each document's score, every sentence hit
/// (quotable or not) and how many there were.
/// </summary>
public sealed record LexicalRetrieval(List<Candidate> Candidates, int TopDoc, Dictionary<int, double> DocScore, HashSet<int> Found, int SentenceHitCount);

/// <summary>
/// First stage: BM25 over sentences and over whole documents (terms plus weighted adjacent pairs). Every sentence
/// that shares a term can be a candidate, whichever document it is in.
/// </summary>
public sealed class SentenceRetriever
{
    private readonly SearchIndex _index;
    private readonly EngineSettings _settings;
    private readonly IndexSearcher _searcher;
    private readonly Lazy<bool[]> _quotable;

    public SentenceRetriever(SearchIndex index, EngineSettings settings)
    {
        _index = index;
        _settings = settings;
        _searcher = new IndexSearcher(index.Searcher.IndexReader) { Similarity = new FieldBm25Similarity(settings.Bm25K1, settings.Bm25B) };
        // Whether a sentence may be quoted never changes for an index; the semantic scan asks it of every sentence.
        _quotable = new Lazy<bool[]>(() => Enumerable.Range(0, index.SentenceCount).Select(Quotable).ToArray());
    }

    /// <summary>Both stages at once: <see cref="Lexical"/>, then <see cref="Complete"/>.</summary>
    public Retrieval? Retrieve(QuestionContext q) => Complete(q, Lexical(q));

    /// <summary>
    /// The lexical stage, which needs no question vector: runs while the encoder reads the question. Its candidates
    /// keep their values in the full retrieval, since semantic-only documents join the ranking with no score.
    /// </summary>
    public LexicalRetrieval Lexical(QuestionContext q)
    {
        var docHits = Search(TermsQuery(L.DocumentText, q.Terms, L.DocumentBigrams, q.Bigrams, _settings.DocBigramWeight), _settings.DocumentCandidates);
        var sentenceHits = Search(TermsQuery(L.SentenceText, q.Terms, L.SentenceBigrams, q.Bigrams, _settings.SentenceBigramWeight), _settings.SentenceCandidates);
        var maxDoc = docHits.Length > 0 ? docHits[0].Score : 1f;
        var maxSentence = sentenceHits.Length > 0 ? sentenceHits[0].Score : 1f;
        var docScore = new Dictionary<int, double>();
        foreach (var hit in docHits) docScore[_index.DocumentOf(hit.Doc)] = hit.Score / maxDoc;
        var bestSentenceOfDoc = new Dictionary<int, double>();
        foreach (var hit in sentenceHits)
        {
            var d = _index.Sentences[_index.SentenceOf(hit.Doc)].Doc;
            bestSentenceOfDoc.TryAdd(d, hit.Score / maxSentence);
        }
        foreach (var (d, s) in bestSentenceOfDoc)
            docScore[d] = docScore.GetValueOrDefault(d) + _settings.DocSentenceWeight * s;
        var (top, docRank, ranked) = Standing(docScore);

        var candidates = new List<Candidate>(sentenceHits.Length + _settings.SemanticCandidates);
        var quotable = _quotable.Value;
        for (var i = 0; i < sentenceHits.Length; i++)
        {
            var s = _index.SentenceOf(sentenceHits[i].Doc);
            if (!quotable[s]) continue;
            var d = _index.Sentences[s].Doc;
            candidates.Add(new Candidate(s, sentenceHits[i].Score, i, docScore.GetValueOrDefault(d) / top, docRank.GetValueOrDefault(d, docScore.Count)));
        }
        var found = new HashSet<int>(sentenceHits.Select(h => _index.SentenceOf(h.Doc)));
        return new LexicalRetrieval(candidates, ranked.Count == 0 ? -1 : ranked[0].Key, docScore, found, sentenceHits.Length);
    }

    /// <summary>
    /// The semantic stage: waits for the question vector and adds the sentences nearest it that lexical search did
    /// not find. Null when neither stage found a sentence that may be quoted. <paramref name="lexical"/> is left as it was.
    /// </summary>
    public Retrieval? Complete(QuestionContext q, LexicalRetrieval lexical)
    {
        var semantic = SemanticNeighbours(q, lexical.Found);
        if (lexical.Candidates.Count == 0 && semantic.Count == 0) return null;
        var docScore = new Dictionary<int, double>(lexical.DocScore);
        foreach (var s in semantic) docScore.TryAdd(_index.Sentences[s].Doc, 0);
        var (top, docRank, ranked) = Standing(docScore);
        var candidates = new List<Candidate>(lexical.Candidates.Count + semantic.Count);
        candidates.AddRange(lexical.Candidates);
        // Sentences that share no word with the question but say the same thing ("hoovered up" for "aggregation").
        foreach (var s in semantic)
        {
            var d = _index.Sentences[s].Doc;
            candidates.Add(new Candidate(s, 0, lexical.SentenceHitCount, docScore.GetValueOrDefault(d) / top, docRank.GetValueOrDefault(d, docScore.Count)));
        }
        var docs = ranked.Select(kv => new RankedDoc(_index.Documents[kv.Key].Id, Math.Round(kv.Value, 4))).ToList();
        return new Retrieval(candidates, docs, ranked[0].Key);
    }

    /// <summary>Documents by score, best first (ties to the lower number): the best score, each one's rank, the order.</summary>
    private static (double Top, Dictionary<int, int> Rank, List<KeyValuePair<int, double>> Ranked) Standing(Dictionary<int, double> docScore)
    {
        var ranked = docScore.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).ToList();
        var rank = new Dictionary<int, int>(ranked.Count);
        for (var i = 0; i < ranked.Count; i++) rank[ranked[i].Key] = i;
        return (ranked.Count == 0 ? 1e-9 : Math.Max(ranked[0].Value, 1e-9), rank, ranked);
    }

    /// <summary>Headlines and bylines are not answers; a metadata line with a date is ("Published: April 27, 2026").</summary>
    private bool Quotable(int sentence) =>
        !_index.Sentences[sentence].IsHeading || _index.SentenceSpans(sentence).Any(t => t.Type == Questions.AnswerType.Date);

    /// <summary>The sentences nearest the question by MiniLM cosine that lexical search did not already find.</summary>
    private List<int> SemanticNeighbours(QuestionContext q, HashSet<int> found)
    {
        var k = _settings.SemanticCandidates;
        if (k <= 0 || _index.SentenceCount > _settings.SemanticScanLimit) return [];
        return _index.NearestVectors.Nearest(q.Vector, k, _quotable.Value, found, _settings.SemanticScanSplitRows);
    }

    /// <summary>
    /// Top hits with an in-order collector: for pure OR queries Lucene otherwise picks its out-of-order scorer, whose
    /// 2,048-bucket table is allocated anew for every query (about 100 KB a search here).
    /// </summary>
    private ScoreDoc[] Search(Query query, int n)
    {
        var collector = TopScoreDocCollector.Create(n, docsScoredInOrder: true);
        _searcher.Search(query, collector);
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
}
