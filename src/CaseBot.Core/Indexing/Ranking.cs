using Lucene.Net.Search.Similarities;

namespace CaseBot.Core.Indexing;

/// <summary>Ranking constants, tuned on the SQuAD 2.0 dev yardstick (never on the case questions).</summary>
internal static class Ranking
{
    public static readonly Similarity Similarity = new FieldBm25Similarity(k1: 1.2f, b: 0.75f);
}
