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
        var documents = new List<DocumentInfo>();
        var sentences = new List<IndexedSentence>();
        var pending = new List<(int LuceneDoc, string DocId, int Start, int Length, bool Heading)>();
        var liveDocs = MultiFields.GetLiveDocs(_reader);
        for (var i = 0; i < _reader.MaxDoc; i++)
        {
            _sentenceOfLuceneDoc[i] = -1;
            _docOfLuceneDoc[i] = -1;
            if (liveDocs is not null && !liveDocs.Get(i)) continue;
            var stored = _reader.Document(i);
            var id = stored.Get(L.DocId);
            var body = stored.Get(L.Body);
            if (body is not null)
            {
                _docById[id] = documents.Count;
                _docOfLuceneDoc[i] = documents.Count;
                documents.Add(new DocumentInfo(id, stored.Get(L.Title), stored.Get(L.FileName), body));
            }
            else
            {
                pending.Add((i, id, stored.GetField(L.Start).GetInt32Value()!.Value, stored.GetField(L.Length).GetInt32Value()!.Value,
                    stored.GetField(L.Heading).GetInt32Value() == 1));
            }
        }
        var ordinals = new int[documents.Count];
        var sentencesOfDocument = new List<int>[documents.Count];
        for (var d = 0; d < documents.Count; d++) sentencesOfDocument[d] = [];
        foreach (var (luceneDoc, docId, start, length, heading) in pending)
        {
            var d = _docById[docId];
            _sentenceOfLuceneDoc[luceneDoc] = sentences.Count;
            sentencesOfDocument[d].Add(sentences.Count);
            sentences.Add(new IndexedSentence(d, ordinals[d]++, start, length, heading));
        }
        SentencesOfDocument = sentencesOfDocument;
        Documents = documents;
        Sentences = sentences;
        SentenceCount = sentences.Count;
    }

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
        var df = _reader.DocFreq(new Term(L.SentenceText, term));
        return Math.Log(1 + (SentenceCount - df + 0.5) / (df + 0.5));
    }

    public int SentenceDocFreq(string term) => _reader.DocFreq(new Term(L.SentenceText, term));

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        Analyzer.Dispose();
    }
}
