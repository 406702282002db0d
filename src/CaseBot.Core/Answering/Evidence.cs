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
    double TypedFound,      // 1 when it asks for one and the sentence has one
    double SentenceScore,   // best sentence BM25 over the question's total idf
    double Margin,          // best minus runner-up sentence score, over the best
    double BigramCoverage,  // share of the question's adjacent term pairs found in the window
    double Negation,        // 1 when the question negates (not, never, no): a favourite of unanswerable questions
    double Length,          // question terms, up to ten, over ten
    double NameCoverage,    // share of the question's names and numbers (capitalised words, digits) found in the window
    double DocMargin)       // best minus runner-up document score, over the best
{
    public const int Count = 13;

    public double[] ToArray() => [Coverage, WindowCoverage, UnknownShare, MaxMissing, TypedMissing, TypedFound, SentenceScore, Margin, BigramCoverage, Negation, Length, NameCoverage, DocMargin];
}

/// <summary>
/// Logistic model of "the quoted sentence answers the question". Weights come from
/// <c>casebot tune-abstention</c> on the SQuAD 2.0 dev questions (see README); answer when the probability reaches
/// <see cref="Threshold"/>.
/// </summary>
public sealed record AbstentionModel(double Bias, double[] Weights, double Threshold)
{
    // Weights: `casebot tune-abstention` on the SQuAD 2.0 dev questions. Its accuracy-optimal threshold there
    // is 0.46, for a yardstick where half the questions are adversarial unanswerables; a chat bot about one case mostly
    // gets on-topic questions, so the product answers from 0.28 (README: operating points).
    public static readonly AbstentionModel Default = new(-3.7441, [1.354, -0.1832, 0.3569, -0.5781, -0.4306, -0.0297, 1.0856, 0.6115, 0.0667, -1.9106, 1.7104, 1.0354, 0.1976], 0.28);

    public double Probability(Evidence e) => Probability(e.ToArray());

    public double Probability(double[] x)
    {
        var z = Bias;
        for (var i = 0; i < x.Length; i++) z += Weights[i] * x[i];
        return 1 / (1 + Math.Exp(-z));
    }

    public bool ShouldAnswer(Evidence e) => Probability(e) >= Threshold;
}
