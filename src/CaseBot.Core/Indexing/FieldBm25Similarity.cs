using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace CaseBot.Core.Indexing;

/// <summary>
/// BM25 whose average length and idf count only the entries that have the field. Lucene 4.8's BM25 divides by
/// <c>maxDoc</c>, which would count every sentence entry when scoring whole documents and skew both statistics.
/// </summary>
internal sealed class FieldBm25Similarity(float k1, float b) : BM25Similarity(k1, b)
{
    protected override float AvgFieldLength(CollectionStatistics collectionStats)
    {
        var docs = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
        return collectionStats.SumTotalTermFreq <= 0 ? 1f : (float)(collectionStats.SumTotalTermFreq / (double)docs);
    }

    public override Explanation IdfExplain(CollectionStatistics collectionStats, TermStatistics termStats)
    {
        var docs = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
        var idf = Idf(termStats.DocFreq, docs);
        return new Explanation(idf, $"idf(docFreq={termStats.DocFreq}, docCount={docs})");
    }

    public override Explanation IdfExplain(CollectionStatistics collectionStats, TermStatistics[] termStats)
    {
        var docs = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
        var details = new Explanation { Description = "idf(), sum of:" };
        float idf = 0;
        foreach (var stat in termStats)
        {
            var termIdf = Idf(stat.DocFreq, docs);
            details.AddDetail(new Explanation(termIdf, $"idf(docFreq={stat.DocFreq}, docCount={docs})"));
            idf += termIdf;
        }
        details.Value = idf;
        return details;
    }
}
