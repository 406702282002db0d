namespace CaseBot.Core.Indexing;

/// <summary>Field names and kinds of the Lucene documents. One index holds whole documents and their sentences.</summary>
internal static class IndexLayout
{
    public const string Kind = "kind";
    public const string KindDocument = "d";
    public const string KindSentence = "s";
    public const string DocId = "doc";
    /// <summary>Whole-document text and sentence text are separate fields so that each has its own BM25 statistics
    /// (length norms and document frequencies of paragraphs and of sentences differ by an order of magnitude).</summary>
    public const string DocumentText = "dtext";
    public const string SentenceText = "stext";
    /// <summary>Adjacent analysed terms joined by <see cref="BigramJoiner"/>: rewards passages that keep the question's word pairs.</summary>
    public const string DocumentBigrams = "dbi";
    public const string SentenceBigrams = "sbi";
    public const char BigramJoiner = '_';

    /// <summary>Bigrams of an analysed term sequence; alias group tokens are left out (they sit beside their name).</summary>
    public static IEnumerable<string> Bigrams(IReadOnlyList<string> terms)
    {
        string? previous = null;
        foreach (var term in terms)
        {
            if (term.StartsWith(CaseAnalyzer.AliasPrefix, StringComparison.Ordinal)) continue;
            if (previous is not null) yield return previous + BigramJoiner + term;
            previous = term;
        }
    }
    public const string Title = "title";
    public const string FileName = "file";
    public const string Body = "body";
    public const string Start = "start";
    public const string Length = "len";
    public const string Heading = "heading";
    /// <summary>Doc values (columnar, cheap to load): 0 for a document entry, 1 for a sentence.</summary>
    public const string KindNumber = "kindn";
    /// <summary>Doc values: the document's position in corpus order, on both kinds of entry.</summary>
    public const string DocNumber = "docn";
}
