using CaseBot.Core.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using L = CaseBot.Core.Indexing.IndexLayout;

namespace CaseBot.Core.Indexing;

/// <summary>A sentence of the index: its document (position in <see cref="SearchIndex.Documents"/>) and span.</summary>
public readonly record struct IndexedSentence(int Doc, int Ordinal, int Start, int Length, bool IsHeading);

/// <summary>
/// An opened, read-only index: the Lucene searcher plus the stored fields held in memory (documents and sentence
/// spans are small), so the answer path never touches stored fields. Thread-safe for concurrent questions.
/// </summary>
public sealed class SearchIndex : IDisposable
{
    private readonly Lucene.Net.Store.Directory _directory;
    private readonly DirectoryReader _reader;
    private readonly Dictionary<string, int> _docById = new(StringComparer.OrdinalIgnoreCase);
    private readonly int[] _sentenceOfLuceneDoc;
    private readonly int[] _docOfLuceneDoc;

    private SearchIndex(string folder, IndexManifest manifest)
    {
        Folder = folder;
        Manifest = manifest;
        _directory = FSDirectory.Open(folder);
        _reader = DirectoryReader.Open(_directory);
        Searcher = new IndexSearcher(_reader) { Similarity = Ranking.Similarity };
        Analyzer = new CaseAnalyzer(Aliases.Load(folder));

        _sentenceOfLuceneDoc = new int[_reader.MaxDoc];
        _docOfLuceneDoc = new int[_reader.MaxDoc];
        Array.Fill(_sentenceOfLuceneDoc, -1);
        Array.Fill(_docOfLuceneDoc, -1);
        var documents = new SortedDictionary<long, (int LuceneDoc, DocumentInfo Info)>();
        var pending = new List<(int LuceneDoc, long DocNumber, int Start, int Length, bool Heading)>();
        foreach (var leaf in _reader.Leaves)
        {
            var atomic = leaf.AtomicReader;
            var kind = atomic.GetNumericDocValues(L.KindNumber);
            var docNumber = atomic.GetNumericDocValues(L.DocNumber);
            var start = atomic.GetNumericDocValues(L.Start);
            var length = atomic.GetNumericDocValues(L.Length);
            var heading = atomic.GetNumericDocValues(L.Heading);
            var live = atomic.LiveDocs;
            for (var i = 0; i < atomic.MaxDoc; i++)
            {
                if (live is not null && !live.Get(i)) continue;
                var luceneDoc = leaf.DocBase + i;
                if (kind.Get(i) == 0)
                {
                    var stored = atomic.Document(i);
                    documents[docNumber.Get(i)] = (luceneDoc,
                        new DocumentInfo(stored.Get(L.DocId), stored.Get(L.Title), stored.Get(L.FileName), stored.Get(L.Body)));
                }
                else
                {
                    pending.Add((luceneDoc, docNumber.Get(i), (int)start.Get(i), (int)length.Get(i), heading.Get(i) == 1));
                }
            }
        }
        var docIndexOfNumber = new Dictionary<long, int>();
        var documentList = new List<DocumentInfo>(documents.Count);
        foreach (var (number, (luceneDoc, info)) in documents)
        {
            docIndexOfNumber[number] = documentList.Count;
            _docById[info.Id] = documentList.Count;
            _docOfLuceneDoc[luceneDoc] = documentList.Count;
            documentList.Add(info);
        }
        pending.Sort((a, b) => a.DocNumber != b.DocNumber ? a.DocNumber.CompareTo(b.DocNumber) : a.Start.CompareTo(b.Start));
        var sentences = new List<IndexedSentence>(pending.Count);
        var sentencesOfDocument = new List<int>[documentList.Count];
        for (var d = 0; d < documentList.Count; d++) sentencesOfDocument[d] = [];
        foreach (var (luceneDoc, number, start, length, heading) in pending)
        {
            var d = docIndexOfNumber[number];
            _sentenceOfLuceneDoc[luceneDoc] = sentences.Count;
            sentencesOfDocument[d].Add(sentences.Count);
            sentences.Add(new IndexedSentence(d, sentencesOfDocument[d].Count - 1, start, length, heading));
        }
        var documents_ = documentList;
        SentencesOfDocument = sentencesOfDocument;
        Documents = documents_;
        Sentences = sentences;
        SentenceCount = sentences.Count;
        Metadata = documentList.Select(d => DocumentMetadata.Parse(d.Text)).ToArray();
        var vectors = Embeddings.EmbeddingFile.Read(folder);
        // An index written without vectors (or cut short) still answers: encode its sentences now.
        Vectors = vectors is not null && vectors.Length == sentences.Count
            ? vectors
            : Embeddings.SentenceEmbedder.Instance.Encode(Enumerable.Range(0, sentences.Count).Select(SentenceText).ToList());
        _sentenceTerms = new string[]?[sentences.Count];
        _sentencePrefixes = new HashSet<string>?[sentences.Count];
        _sentenceSpans = new List<Answering.Candidates.TypedSpan>?[sentences.Count];
        _vocabulary = new Lazy<Vocabulary>(() => Vocabulary.Of(documentList.Select(d => d.Text)));
        _nearest = new Lazy<Embeddings.NearestVectors>(() => new Embeddings.NearestVectors(Vectors));
    }

    /// <summary>Each sentence's MiniLM vector (unit length), parallel to <see cref="Sentences"/>.</summary>
    public float[][] Vectors { get; }

    /// <summary>The sentences nearest a question by cosine, through int8 copies of <see cref="Vectors"/> made on first use.</summary>
    public Embeddings.NearestVectors NearestVectors => _nearest.Value;

    /// <summary>Each document's own metadata (date, byline, kind), parallel to <see cref="Documents"/>.</summary>
    public IReadOnlyList<DocumentMetadata> Metadata { get; }

    /// <summary>The corpus's surface words with their counts, for spelling suggestions.</summary>
    public Vocabulary Vocabulary => _vocabulary.Value;

    /// <summary>A sentence's analysed terms, computed once (a benign race may compute it twice).</summary>
    public string[] SentenceTerms(int sentence) =>
        _sentenceTerms[sentence] ??= Analyzer.Terms(SentenceText(sentence)).ToArray();

    /// <summary>A sentence's typed candidates (sums, dates, names), recognised once and kept.</summary>
    public IReadOnlyList<Answering.Candidates.TypedSpan> SentenceSpans(int sentence) =>
        _sentenceSpans[sentence] ??= Answering.Candidates.TypedSpans.Find(SentenceText(sentence));

    /// <summary>The first five letters of each word of a sentence, lower case: a match that survives stems and typos.</summary>
    public HashSet<string> SentencePrefixes(int sentence) =>
        _sentencePrefixes[sentence] ??= new HashSet<string>(
            System.Text.RegularExpressions.Regex.Matches(SentenceText(sentence), @"[\p{L}\p{N}]+").Where(m => m.Length >= 4).Select(m => Vocabulary.Prefix(m.Value)),
            StringComparer.Ordinal);

    private readonly HashSet<string>?[] _sentencePrefixes;
    private readonly string[]?[] _sentenceTerms;
    private readonly List<Answering.Candidates.TypedSpan>?[] _sentenceSpans;
    private readonly Lazy<Vocabulary> _vocabulary;
    private readonly Lazy<Embeddings.NearestVectors> _nearest;

    public string Folder { get; }
    public IndexManifest Manifest { get; }
    public IndexSearcher Searcher { get; }
    public CaseAnalyzer Analyzer { get; }
    public IReadOnlyList<DocumentInfo> Documents { get; }
    public IReadOnlyList<IndexedSentence> Sentences { get; }
    /// <summary>Sentence numbers of each document, in reading order.</summary>
    public IReadOnlyList<int>[] SentencesOfDocument { get; }
    public int SentenceCount { get; }

    public static SearchIndex Open(string folder)
    {
        var manifest = IndexManifest.TryLoad(folder) ?? throw new InvalidOperationException($"No index manifest in '{folder}'.");
        return new SearchIndex(folder, manifest);
    }

    public int? DocumentNumber(string id) => _docById.TryGetValue(id, out var d) ? d : null;

    public int SentenceOf(int luceneDoc) => _sentenceOfLuceneDoc[luceneDoc];

    public int DocumentOf(int luceneDoc) => _docOfLuceneDoc[luceneDoc];

    public string SentenceText(int sentence)
    {
        var s = Sentences[sentence];
        return Documents[s.Doc].Text.Substring(s.Start, s.Length);
    }

    /// <summary>Inverse document frequency of a term among sentences; unseen terms get the highest.</summary>
    public double SentenceIdf(string term)
    {
        var df = SentenceDocFreq(term);
        return Math.Log(1 + (SentenceCount - df + 0.5) / (df + 0.5));
    }

    /// <summary>Sentence document frequency, cached: each uncached look-up allocates a terms enumerator per segment.</summary>
    public int SentenceDocFreq(string term)
    {
        if (_docFreqs.TryGetValue(term, out var df)) return df;
        df = _reader.DocFreq(new Term(L.SentenceText, term));
        if (_docFreqs.Count < MaxCachedTerms) _docFreqs.TryAdd(term, df);
        return df;
    }

    private const int MaxCachedTerms = 500_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _docFreqs = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        Analyzer.Dispose();
    }
}
