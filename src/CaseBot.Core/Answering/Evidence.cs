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
    double SentenceLength)  // words in the quoted sentence, up to sixty, over sixty
{
    public const int Count = 20;

    public double[] ToArray() => [Coverage, WindowCoverage, UnknownShare, MaxMissing, TypedMissing, TypedFound, SentenceScore, Margin, BigramCoverage, Negation, Length, NameCoverage, DocMargin,
        Kind, RareCoverage, RareWindow, TopDoc, NegationMismatch, MissingCount, SentenceLength];
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

    // Weights and trees: `casebot tune-abstention` on the SQuAD 2.0 dev questions (it prints this line exactly). Its
    // accuracy-optimal threshold there is 0.45, for a yardstick where half the questions are adversarial unanswerables; a
    // chat bot about one case mostly gets on-topic questions, so the product answers from 0.27 (README: operating points).
    public static readonly AbstentionModel Default = new(-3.902, [1.2762, -0.0376, 0.3887, -0.666, -0.5, -0.0896, 0.8747, 0.5375, 0.1161, -1.6411, 1.6489, 1.0143, 0.121, 0.0255, 0.5859, -0.469, 0.3679, -0.4794, 0.2225, -0.1495], 0.27)
    {
        Trees = new(3, [6, 0.4108, 7, 0.2867, 2, 0.2434, 9, 0.5, 0, 1000000000, 11, 0.8944, 2, 0.344, -0.1051, 0.063, 0.054, 0, -0.0685, 0.0082, 0.1607, 0.0005, 0, 0.3274, 10, 0.75, 18, 0.3, 0, 1000000000, 0, 1000000000, 0, 0.7856, 12, 0.4604, -0.1486, 0, -0.034, 0, -0.0433, 0.0155, 0.0446, -0.0293, 6, 0.4108, 7, 0.2165, 3, 0.6995, 19, 0.225, 10, 0.65, 0, 0.7856, 8, 0.5774, -0.0202, -0.1173, -0.0886, 0.1013, -0.021, 0.0109, 0.0612, -0.0931, 6, 0.3773, 7, 0.2514, 12, 0.0489, 11, 0.0833, 0, 1000000000, 10, 0.35, 12, 0.5031, 0.0112, -0.1123, 0.0371, 0, -0.112, -0.0134, 0.0184, -0.0171, 11, 0.8944, 8, 0.4083, 7, 0.2165, 3, 0.5495, 3, 0.8591, 19, 0.175, 3, 0.6695, 0.1213, -0.0361, -0.1509, -0.0557, 0.0316, -0.0375, 0.0052, 0.0654, 0, 0.3274, 8, 0.0385, 2, 0.2434, 0, 1000000000, 0, 1000000000, 11, 0.8944, 10, 0.45, -0.1252, 0, -0.0125, 0, -0.0501, 0.0032, -0.0149, 0.1179, 6, 0.4388, 11, 0.0833, 3, 0.6995, 19, 0.1917, 19, 0.1583, 9, 0.5, 8, 0.5774, -0.0343, 0.096, 0.0341, -0.0636, -0.0013, -0.0726, 0.0529, -0.0804, 12, 0.2407, 10, 0.25, 12, 0.482, 7, 0.0703, 11, 0.3542, 1, 0.7144, 0, 0.7856, -0.019, -0.1505, 0.0775, -0.0138, 0.0508, 0.0086, -0.0382, 0.0102, 0, 0.3274, 10, 0.75, 7, 0.4109, 0, 1000000000, 0, 1000000000, 10, 0.55, 8, 0.2614, -0.1205, 0, -0.0067, 0, -0.0077, 0.0339, 0.0291, -0.0306, 0, 0.8803, 8, 0.5774, 9, 0.5, 9, 0.5, 3, 0.5495, 8, 0.6795, 19, 0.3417, -0.0017, 0.0972, -0.0097, -0.1094, 0.0061, 0.0847, -0.1747, -0.0324, 11, 0.8944, 3, 0.585, 7, 0.2165, 7, 0.1822, 3, 0.8151, 19, 0.175, 7, 0.4109, 0.1851, -0.0111, -0.1294, 0.0102, 0.0258, -0.0296, 0.0291, -0.0052, 0, 0.3274, 10, 0.75, 2, 0.2434, 0, 1000000000, 0, 1000000000, 11, 0.8944, 10, 0.45, -0.1115, 0, -0.0045, 0, -0.0378, 0.0024, -0.0149, 0.0859, 11, 0.0833, 3, 0.5641, 11, 0.8944, 3, 0.5037, 18, 0.3, 6, 0.7931, 7, 0.2165, 0.0511, 0.2057, -0.0761, 0.0306, -0.0227, -0.1524, -0.0152, 0.0102, 18, 0.3, 0, 0.7856, 1, 0.7498, 10, 0.65, 9, 0.5, 1, 0.5128, 7, 0.4968, -0.0397, 0.0495, 0.0204, -0.1085, -0.0203, 0.0378, -0.0033, -0.1283, 12, 0.6175, 10, 0.25, 8, 0.8452, 12, 0.2407, 6, 1.0364, 19, 0.1917, 19, 0.275, -0.1002, 0.0086, 0.0028, 0.0462, -0.0848, -0.0224, 0.0117, 0.1037, 11, 0.0833, 3, 0.5495, 11, 0.7083, 0, 1000000000, 10, 0.55, 0, 0.7172, 3, 0.6695, 0.1447, 0, -0.0515, 0.038, -0.0102, -0.1242, -0.0059, 0.0232, 19, 0.6583, 6, 0.4108, 18, 0.3, 11, 0.0833, 2, 0.2434, 3, 0.1212, 0, 1000000000, 0.0498, -0.0518, 0.0014, 0.0561, -0.0378, -0.1316, 0.0443, 0, 10, 0.95, 9, 0.5, 12, 0.3572, 17, 0.5, 17, 0.5, 0, 1000000000, 19, 0.275, -0.0044, 0.0494, 0.1471, -0.1488, 0.0949, 0, -0.0695, 0.0378, 19, 0.6583, 0, 0.7856, 17, 0.5, 0, 0.7337, 17, 0.5, 18, 0.3, 0, 1000000000, 0.0036, -0.052, 0.0245, -0.0616, -0.1077, -0.0132, 0.0688, 0, 0, 0.3274, 8, 0.0385, 7, 0.4109, 0, 1000000000, 0, 1000000000, 10, 0.55, 19, 0.1917, -0.0995, 0, 0.0046, 0, -0.0045, 0.0229, -0.0573, -0.0011, 12, 0.2407, 10, 0.25, 8, 0.8452, 7, 0.0894, 6, 0.5788, 8, 0.2265, 17, 0.5, -0.0065, -0.1296, -0.0265, 0.0086, 0.028, -0.0106, 0.117, -0.1565, 12, 0.6777, 0, 0.7856, 8, 0.6795, 12, 0.6175, 19, 0.175, 0, 0.753, 7, 0.5889, -0.0007, -0.083, -0.0443, 0.0241, 0.0192, -0.1024, 0.0912, -0.0313, 11, 0.0833, 3, 0.5641, 11, 0.8944, 3, 0.5037, 2, 0.2434, 6, 0.7931, 19, 0.6583, 0.0272, 0.1589, -0.0366, 0.0643, -0.0154, -0.1189, 0.003, -0.0517, 6, 0.4388, 3, 0.7257, 3, 0.6995, 19, 0.2417, 9, 0.5, 0, 0.4696, 19, 0.4083, 0.1091, -0.0374, -0.0689, 0.0812, 0.0617, -0.0068, 0.0099, 0.0856, 12, 0.0489, 3, 0.8151, 6, 0.3773, 7, 0.0096, 2, 0.344, 7, 0.2514, 18, 0.7, 0.0618, -0.0607, 0.1199, -0.0583, -0.075, 0.0276, 0.0013, 0.0476, 6, 1.0364, 8, 0.5774, 17, 0.5, 12, 0.6777, 3, 0.5495, 10, 0.35, 8, 0.8452, 0.0052, -0.0512, 0.0026, -0.0802, -0.0268, 0.0808, -0.0443, -0.1558, 11, 0.2917, 3, 0.5495, 11, 0.7083, 0, 1000000000, 10, 0.55, 0, 0.599, 3, 0.6695, 0.1085, 0, -0.0472, 0.0332, 0.0118, -0.0799, -0.0049, 0.0178, 1, 0.5128, 13, 0.5, 18, 0.3, 19, 0.4083, 19, 0.4083, 6, 0.5788, 8, 0.1742, 0.0185, -0.0741, -0.0873, 0.0537, -0.0571, 0.0015, 0.0657, -0.0093, 10, 0.95, 12, 0.0154, 7, 0.1978, 7, 0.0703, 9, 0.5, 0, 1000000000, 12, 0.3572, 0.0019, -0.0951, 0.0014, -0.0377, -0.0447, 0, 0.1336, 0.0145, 2, 0.2434, 0, 0.7856, 0, 0.3274, 0, 0.7172, 1, 0.8116, 0, 1000000000, 13, 0.5, 0.0013, -0.0369, 0.0673, -0.0013, -0.0835, 0, 0.0689, -0.0143, 6, 0.5788, 12, 0.592, 6, 0.635, 7, 0.2867, 8, 0.2071, 13, 2.5, 13, 1.5, -0.0198, 0.0357, -0.0287, -0.1289, 0.0525, -0.0773, -0.0102, 0.0241, 7, 0.4109, 12, 0.2407, 6, 0.5575, 10, 0.25, 6, 0.9617, 8, 0.1742, 8, 0.2614, -0.0672, -0.0024, 0.0059, 0.053, -0.0071, -0.11, 0.0328, -0.0153, 11, 0.2917, 8, 0.4083, 6, 0.4108, 19, 0.1583, 0, 0.7172, 9, 0.5, 15, 0.25, -0.078, 0.0877, -0.0746, -0.0131, -0.0458, 0.0679, 0.04, -0.0015, 10, 0.95, 6, 1.0364, 7, 0.1978, 7, 0.0703, 17, 0.5, 0, 1000000000, 12, 0.3572, 0.0194, -0.0075, 0.0402, -0.1088, -0.0379, 0, 0.1182, 0.013, 6, 1.1365, 6, 1.0364, 7, 0.5175, 8, 0.5774, 13, 0.5, 7, 0.4109, 0, 1000000000, 0.002, -0.0188, -0.0128, 0.1109, -0.0175, -0.0967, 0.0395, 0, 0, 0.5177, 10, 0.65, 3, 0.6995, 7, 0.136, 19, 0.225, 3, 0.585, 19, 0.225, 0.0087, -0.0783, 0.0761, -0.0072, 0.0055, -0.0282, -0.025, 0.0375, 12, 0.2407, 10, 0.65, 8, 0.8452, 7, 0.136, 7, 0.0222, 6, 0.7931, 17, 0.5, 0.0116, -0.0416, -0.1128, 0.0512, 0.0096, -0.0143, 0.0918, -0.1277, 0, 0.3274, 10, 0.75, 2, 0.2434, 12, 0.2169, 0, 1000000000, 11, 0.8944, 12, 0.5248, -0.0991, -0.0063, 0.0102, 0, -0.0233, 0.0013, 0.0507, -0.0312, 6, 0.5788, 1, 0.7971, 6, 0.635, 17, 0.5, 0, 0.5385, 13, 2.5, 19, 0.575, -0.0109, 0.0645, -0.0087, -0.1357, 0.0402, -0.0666, 0.0026, -0.0524, 0, 0.7856, 4, 0.5, 19, 0.175, 0, 0.7337, 1, 0.6958, 13, 0.5, 1, 0.8116, 0.0043, -0.0311, -0.0918, -0.0058, -0.0829, 0.016, 0.0758, 0.0061]),
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
