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
    double DocMargin,       // best minus runner-up document score, over the best
    double Kind,            // the asked-for answer kind (AnswerKind as a number; trees split on it)
    double RareCoverage,    // share of the question's two rarest terms in the quoted sentence
    double RareWindow,      // the same over the sentence and its neighbours
    double TopDoc,          // 1 when the sentence comes from the top-ranked document
    double NegationMismatch,// 1 when exactly one of question and sentence negates
    double MissingCount,    // question terms missing from the window, up to five, over five
    double SentenceLength,  // words in the quoted sentence, up to sixty, over sixty
    double OrderAgreement,  // share of pairs of question terms the sentence holds in the question's order
    double Contrast,        // 1 when a question term is missing but its opposite is there (un-/dis- forms, antonyms)
    double NumberMismatch)  // 1 when the question's number is missing from the window and another number is there
{
    public const int Count = 23;

    public double[] ToArray() => [Coverage, WindowCoverage, UnknownShare, MaxMissing, TypedMissing, TypedFound, SentenceScore, Margin, BigramCoverage, Negation, Length, NameCoverage, DocMargin,
        Kind, RareCoverage, RareWindow, TopDoc, NegationMismatch, MissingCount, SentenceLength, OrderAgreement, Contrast, NumberMismatch];
}

/// <summary>
/// Model of "the quoted sentence answers the question": a logistic regression over <see cref="Evidence"/>, plus
/// (optionally) boosted shallow trees added to its log-odds, which catch the interactions a linear model misses.
/// Fitted by <c>casebot tune-abstention</c> on the SQuAD 2.0 dev questions (see README); answer when the probability
/// reaches <see cref="Threshold"/>.
/// </summary>
public sealed record AbstentionModel(double Bias, double[] Weights, double Threshold)
{
    /// <summary>Boosted trees whose outputs add to the logistic log-odds; null for the plain logistic model.</summary>
    public TreeEnsemble? Trees { get; init; }

    // Weights and trees: `casebot tune-abstention` on the SQuAD 2.0 dev questions prints them exactly, with the
    // accuracy-optimal threshold there, 0.48, for a yardstick where half the questions are adversarial unanswerables; a
    // chat bot about one case mostly gets on-topic questions, so the product answers from 0.30 (README: operating points).
    public static readonly AbstentionModel Default = new(-3.8893, [1.3257, -0.0357, 0.3016, -0.5199, -0.5153, -0.0821, 0.9447, 0.558, 0.1418, -1.6964, 1.7596, 0.822, 0.0883, 0.0185, 0.5725, -0.4866, 0.4024, -0.5002, 0.2313, -0.12, 0.0255, -1.7529, -1.4601], 0.3)
    {
        Trees = new(3, [6, 0.4108, 7, 0.2165, 2, 0.2434, 19, 0.225, 0, 1000000000, 11, 0.8944, 10, 0.45, -0.0465, -0.1487, 0.0183, 0, -0.07, 0.0091, 0.0035, 0.1585, 20, 0.0238, 12, 0.1631, 20, 0.6726, 7, 0.0703, 10, 0.35, 12, 0.592, 0, 0.3274, -0.0459, -0.1448, 0.049, -0.0691, 0.0557, -0.0668, -0.1214, -0.0057, 6, 0.4108, 7, 0.2165, 18, 0.3, 11, 0.0833, 0, 1000000000, 0, 0.7856, 12, 0.4202, -0.002, -0.1154, 0.0175, 0, -0.0515, 0.0185, 0.0695, -0.0255, 7, 0.2165, 19, 0.175, 11, 0.8944, 12, 0.0684, 11, 0.2917, 3, 0.8151, 3, 0.6695, -0.0488, 0.0658, 0.0903, -0.0493, -0.1129, 0.0188, 0.0048, 0.0799, 20, 0.0238, 12, 0.1383, 7, 0.4109, 0, 1000000000, 7, 0.1822, 7, 0.2165, 8, 0.2614, -0.1052, 0, 0.0419, -0.0505, -0.0136, 0.0402, 0.0445, -0.0402, 0, 0.3274, 0, 1000000000, 2, 0.2434, 0, 1000000000, 0, 1000000000, 21, 0.5, 10, 0.45, -0.1038, 0, 0, 0, 0.0002, -0.0894, -0.0088, 0.1142, 6, 0.4388, 10, 0.75, 3, 0.6995, 20, 0.5119, 0, 1000000000, 0, 0.7856, 8, 0.5774, -0.1253, -0.0333, 0.0303, 0, -0.0251, 0.0148, 0.0669, -0.1055, 12, 0.6777, 12, 0.2407, 8, 0.6795, 10, 0.25, 8, 0.2265, 0, 0.753, 0, 1000000000, -0.1202, -0.0077, 0.0485, -0.0011, 0.0048, -0.1286, 0.0384, 0, 0, 0.3274, 0, 1000000000, 12, 0.5031, 0, 1000000000, 0, 1000000000, 18, 0.3, 0, 0.7856, -0.0901, 0, 0, 0, -0.0062, 0.0337, -0.0532, 0.0097, 6, 0.4388, 3, 0.7257, 9, 0.5, 19, 0.2417, 7, 0.2867, 8, 0.8452, 17, 0.5, 0.1066, -0.0535, -0.1024, 0.0145, 0.0011, 0.0838, 0.1637, -0.1863, 20, 0.0238, 1, 0.5629, 20, 0.1786, 0, 1000000000, 3, 0.5037, 0, 1000000000, 21, 0.5, -0.0921, 0, -0.047, 0.0301, 0.0864, 0, 0.0027, -0.0847, 12, 0.0489, 3, 0.8151, 12, 0.482, 7, 0.0222, 0, 1000000000, 6, 0.3773, 19, 0.225, 0.0228, -0.0825, 0.0516, 0, -0.0613, 0.0166, -0.054, 0.0021, 11, 0.8944, 3, 0.585, 3, 0.6695, 6, 0.7294, 3, 0.8151, 0, 0.7856, 6, 0.6901, 0.1544, -0.0466, -0.1346, 0.0017, -0.0256, 0.0162, 0.0467, -0.0365, 1, 0.5128, 10, 0.85, 18, 0.3, 13, 0.5, 0, 1000000000, 9, 0.5, 8, 0.1742, -0.0198, -0.0864, 0.0579, 0, -0.0009, -0.108, 0.0851, -0.0018, 19, 0.6583, 0, 0.7856, 12, 0.3782, 0, 0.7337, 9, 0.5, 0, 1000000000, 0, 1000000000, 0.0037, -0.0617, 0.0272, -0.1025, 0.0233, 0, -0.1043, 0, 21, 0.5, 20, 0.0238, 0, 0.6788, 12, 0.3782, 7, 0.4109, 0, 1000000000, 0, 1000000000, -0.0563, 0.0186, 0.012, -0.0135, 0.0533, 0, -0.1261, 0, 10, 0.25, 12, 0.2407, 12, 0.6175, 7, 0.0894, 0, 1000000000, 1, 0.5128, 20, 0.5119, -0.0087, -0.1449, 0.0401, 0, -0.0263, 0.0114, -0.0816, -0.0115, 10, 0.95, 21, 0.5, 0, 0.5787, 12, 0.0489, 8, 0.2929, 0, 1000000000, 1, 0.8116, -0.038, 0.0018, 0.0255, -0.1273, -0.0059, 0, 0.0945, 0.0097, 22, 0.5, 6, 0.5788, 7, 0.2165, 18, 0.3, 9, 0.5, 0, 1000000000, 0, 1000000000, -0.0766, 0.0027, 0.0096, -0.0548, 0.0284, 0, -0.097, 0, 10, 0.95, 21, 0.5, 19, 0.325, 6, 0.4388, 8, 0.2929, 0, 1000000000, 0, 1000000000, -0.0346, 0.0015, 0.0219, -0.1168, -0.0062, 0, 0.0644, 0, 2, 0.2434, 11, 0.8944, 0, 0.3274, 3, 0.585, 7, 0.1978, 0, 1000000000, 13, 0.5, 0.0491, -0.0855, -0.0172, 0.0082, -0.0756, 0, 0.0831, -0.0043, 11, 0.2917, 10, 0.55, 11, 0.7083, 12, 0.2169, 0, 1000000000, 0, 0.599, 3, 0.6695, 0.0272, -0.0814, 0.1054, 0, 0.0187, -0.1144, -0.0058, 0.0213, 7, 0.4109, 10, 0.55, 19, 0.1917, 17, 0.5, 20, 0.5286, 13, 1.5, 3, 0.585, -0.0151, 0.0648, -0.0061, 0.0398, -0.0942, -0.0087, 0.0216, -0.0355, 19, 0.6583, 20, 0.6726, 12, 0.3782, 6, 0.7707, 20, 0.8028, 0, 1000000000, 0, 1000000000, -0.003, 0.0416, -0.1002, 0.0003, 0.0206, 0, -0.0875, 0, 12, 0.6777, 10, 0.25, 8, 0.6795, 12, 0.2407, 0, 0.7856, 0, 0.753, 0, 1000000000, -0.0856, 0.0249, -0.0041, 0.0196, 0.0178, -0.0953, 0.0323, 0, 6, 0.7931, 6, 0.7707, 17, 0.5, 17, 0.5, 3, 0.585, 8, 0.8452, 20, 0.6726, -0.0082, 0.0676, 0.1237, 0.0038, -0.0132, 0.0757, 0.0338, -0.1489, 0, 0.3274, 2, 0.0547, 2, 0.2434, 0, 1000000000, 0, 1000000000, 15, 0.25, 10, 0.45, -0.0146, 0, -0.0759, 0, 0.0359, -0.0036, -0.0044, 0.0719, 8, 0.5774, 9, 0.5, 3, 0.5495, 17, 0.5, 17, 0.5, 17, 0.5, 6, 0.8375, -0.0059, 0.0639, 0.2148, -0.0644, 0.0369, -0.1064, -0.044, -0.1644, 11, 0.0833, 3, 0.5641, 11, 0.7083, 0, 1000000000, 18, 0.3, 0, 0.7172, 6, 0.5788, 0.1128, 0, -0.0716, 0.0206, 0.0002, -0.1151, -0.019, 0.0072, 1, 0.8116, 0, 0.7856, 13, 1.5, 0, 0.7337, 5, 0.5, 7, 0.3762, 6, 1.0364, 0.0087, -0.0449, 0.1074, 0.0035, -0.0073, -0.0524, 0.0112, 0.1123]),
    };

    public double Probability(Evidence e) => Probability(e.ToArray());

    public double Probability(double[] x) => 1 / (1 + Math.Exp(-LogOdds(x)));

    public double LogOdds(double[] x)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * x[i];
        return Trees is null ? z : z + Trees.Score(x);
    }

    public bool ShouldAnswer(Evidence e) => Probability(e) >= Threshold;
}

/// <summary>
/// Complete binary trees of one depth, flattened: per tree, (feature, threshold) for each inner node in heap order,
/// then the leaf values. An example goes left when its feature is at most the threshold.
/// </summary>
public sealed record TreeEnsemble(int Depth, double[] Flat)
{
    public int Inner => (1 << Depth) - 1;
    public int TreeSize => 2 * Inner + (1 << Depth);
    public int TreeCount => Flat.Length / TreeSize;

    public double Score(double[] x)
    {
        double sum = 0;
        var size = TreeSize;
        var inner = Inner;
        for (var o = 0; o + size <= Flat.Length; o += size)
        {
            var node = 0;
            for (var level = 0; level < Depth; level++)
                node = 2 * node + (x[(int)Flat[o + 2 * node]] <= Flat[o + 2 * node + 1] ? 1 : 2);
            sum += Flat[o + 2 * inner + node - inner];
        }
        return sum;
    }
}
