namespace CaseBot.Core.Answering;

/// <summary>
/// How well the chosen sentence covers the question: the inputs of the abstention model. All are scale-free so the
/// same weights serve a five-article case and a thousand-paragraph yardstick.
/// </summary>
public readonly record struct Evidence(
    double Coverage,        // idf-weighted share of question terms in the quoted sentence
    double WindowCoverage,  // the same over the sentence and its neighbours
    double UnknownShare,    // idf-weighted share of question terms found nowhere in the corpus
    double MaxMissing,      // the rarest question term missing from the window, as a share of the highest idf
    double TypedMissing,    // 1 when the question asks for a number/date/name and the sentence has none
    double SentenceScore,   // best sentence BM25 over the question's total idf
    double Margin)          // best minus runner-up sentence score, over the best
{
    public const int Count = 7;

    public double[] ToArray() => [Coverage, WindowCoverage, UnknownShare, MaxMissing, TypedMissing, SentenceScore, Margin];
}

/// <summary>
/// Logistic model of "the quoted sentence answers the question". Weights come from
/// <c>casebot tune-abstention</c> on the SQuAD 2.0 dev questions (see README); answer when the probability reaches
/// <see cref="Threshold"/>.
/// </summary>
public sealed record AbstentionModel(double Bias, double[] Weights, double Threshold)
{
    // Weights: `casebot tune-abstention` on the SQuAD 2.0 dev questions (k1 0.6, b 0.5). Its accuracy-optimal threshold there
    // is 0.5, for a yardstick where half the questions are adversarial unanswerables; a chat bot about one case mostly
    // gets on-topic questions, so the product answers from 0.18 (README: operating points).
    public static readonly AbstentionModel Default = new(-2.2427, [1.2882, 0.5045, -0.0978, -0.3413, -0.384, 0.5649, 1.226], 0.18);

    public double Probability(Evidence e) => Probability(e.ToArray());

    public double Probability(double[] x)
    {
        var z = Bias;
        for (var i = 0; i < x.Length; i++) z += Weights[i] * x[i];
        return 1 / (1 + Math.Exp(-z));
    }

    public bool ShouldAnswer(Evidence e) => Probability(e) >= Threshold;
}
