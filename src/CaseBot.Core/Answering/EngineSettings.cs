using System.Globalization;
using System.Reflection;

namespace CaseBot.Core.Answering;

/// <summary>
/// The answer engine's weights. Defaults were chosen on the SQuAD 2.0 dev yardstick (1,204 paragraphs, 6,613
/// questions) with <c>casebot eval --set name=value</c>, never on the case questions.
/// </summary>
public sealed record EngineSettings
{
    /// <summary>Documents and sentences fetched from Lucene before re-scoring.</summary>
    public int DocumentCandidates { get; init; } = 20;
    public int SentenceCandidates { get; init; } = 40;
    /// <summary>Sentences nearest the question by meaning (MiniLM cosine) added to the lexical candidates. 16 against 8
    /// raised mean cross-validated accuracy on every set over eight fold seeds; 24 gave the same as 16 (README).</summary>
    public int SemanticCandidates { get; init; } = 16;
    /// <summary>The semantic scan reads every sentence vector; above this many sentences it is skipped (lexical only).</summary>
    public int SemanticScanLimit { get; init; } = 50_000;
    /// <summary>From this many sentences the semantic scan runs in two halves on two cores, the lexical thread being
    /// idle by then (the answer is the same).</summary>
    public int SemanticScanSplitRows { get; init; } = 4096;
    /// <summary>Weight of a document's best sentence in its ranking (paragraph BM25 counts 1).</summary>
    public double DocSentenceWeight { get; init; } = 0.5;
    /// <summary>Quote the runner-up sentence too when the ranker rates it at least this share of the best. 0.3 against
    /// 0.6 raised cross-validated answer-hit on every set (`casebot train --set SecondSentenceRatio=…`; README).</summary>
    public double SecondSentenceRatio { get; init; } = 0.3;

    /// <summary>Whether a sentence the ranker scores <paramref name="score"/> is quoted beside the best one (<paramref name="best"/>).</summary>
    public bool QuotedBeside(double score, double best) => score >= SecondSentenceRatio * best;
    /// <summary>A longer quoted sentence is cut to its most relevant stretch of about this many characters (260 against
    /// 220 raised cross-validated answer-hit on the chat questions and SQuAD; README).</summary>
    public int MaxQuoteChars { get; init; } = 260;
    /// <summary>Lines quoted after a best sentence that ends in a colon (the list it introduces).</summary>
    public int ListLines { get; init; } = 3;
    /// <summary>A lone candidate is shown as the short answer only within this many characters of a word the question
    /// shares with the sentence (a clause boundary counting 40); 0: at any distance. Applied to the headline alone, so
    /// the model is unchanged: at 100 no right headline of the case sets is lost, SQuAD's are right 0.795 of the time
    /// instead of 0.776 (shown 0.200 instead of 0.210); at 60 one right case-dev headline went (README). At 140 case-dev
    /// gains one right headline ("When did the mayor block the contract?": May 21, past "… Police and US tech firm …"),
    /// but SQuAD's added headlines are right about half the time (shown 0.215 → 0.220, right 0.820 → 0.812).</summary>
    public int ShortAnchorReach { get; init; } = 100;
    /// <summary>No short answer when the quote holds more candidates of the asked-for type than this.</summary>
    public int MaxShortCandidates { get; init; } = 3;
    /// <summary>Decline when the question wants a sum, date, count, duration, percentage or party and the chosen
    /// sentence holds none (measured on every question set: see README).</summary>
    public bool RequireTypedAnswer { get; init; } = true;
    /// <summary>With <see cref="RequireTypedAnswer"/>: the runner-up's sum or date saves the answer only when the runner-up
    /// is close enough to be quoted too (<see cref="SecondSentenceRatio"/>); a sum nobody would read is no answer. Over
    /// eight fold seeds chat declines rose from 5.5 to 6.1 of 14 with no answer lost on any set (README).</summary>
    public bool TypedRunnerUpQuoted { get; init; } = true;
    /// <summary>Decline when a number the question states (a year, a sum) is missing beside the chosen sentence while
    /// another number is there.</summary>
    public bool DeclineNumberMismatch { get; init; }
    /// <summary>Decline a question about someone's words ("what did X say", "how did X react") when neither quoted
    /// sentence gives X a speech verb ("X said", "according to X").</summary>
    public bool RequireAttribution { get; init; } = true;
    /// <summary>Decline a "which national newspaper …" question when its best sentence only mentions "a national
    /// newspaper" and no runner-up quoted beside it names one beside such a mention. Over eight fold seeds chat
    /// declines rose by two of 14 with no answer lost on any set (README).</summary>
    public bool RequireNamedFocus { get; init; } = true;
    /// <summary>Decline a question about an article of a kind ("the explainer", "the opinion piece") whose best sentence is
    /// a metadata line (a dateline, a byline) of an article no line of which names that kind.</summary>
    public bool RequireNamedArticle { get; init; } = true;
    /// <summary>A question asking for a sum in a currency ("in dollars") quotes first a sentence holding a sum in it when
    /// the ranker rates it close enough to be quoted.</summary>
    public bool CurrencyFirst { get; init; } = true;
    /// <summary>Questions are encoded by MiniLM with int8 weights (<see cref="Indexing.Embeddings.OnnxInt8"/>), compared
    /// with the float sentence vectors the index stores.</summary>
    public bool Int8Questions { get; init; } = true;
    /// <summary>Threads the question encoder runs on. Its helper shares the two cores with the lexical stage, which runs
    /// beside the encoding (`casebot bench --against QuestionEncoderThreads=1` compares the two in one process).</summary>
    public int QuestionEncoderThreads { get; init; } = 2;
    /// <summary>An engine model file (JSON, written by <c>casebot train</c>) instead of the shipped one.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Weight of matched adjacent question-term pairs (bigrams) against single terms.</summary>
    public double DocBigramWeight { get; init; } = 0.2;
    public double SentenceBigramWeight { get; init; } = 0.1;

    /// <summary>BM25 term-frequency saturation and length normalisation (Lucene's defaults are 1.2 and 0.75).</summary>
    public float Bm25K1 { get; init; } = 0.6f;
    public float Bm25B { get; init; } = 0.5f;

    /// <summary>Overrides the decider's threshold when set (negative: use the model's).</summary>
    public double AnswerThreshold { get; init; } = -1;

    public static readonly EngineSettings Default = new();

    /// <summary>Applies <c>name=value</c> overrides (for tuning runs); unknown names are an error.</summary>
    public EngineSettings With(IEnumerable<string> assignments)
    {
        var result = this with { };
        foreach (var assignment in assignments)
        {
            var eq = assignment.IndexOf('=');
            var property = eq > 0 ? typeof(EngineSettings).GetProperty(assignment[..eq], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) : null;
            if (property is null || !property.CanWrite)
                throw new ArgumentException($"Unknown engine setting '{assignment}'. Known: {string.Join(", ", typeof(EngineSettings).GetProperties().Where(p => p.CanWrite).Select(p => p.Name))}.");
            property.SetValue(result, Convert.ChangeType(assignment[(eq + 1)..], property.PropertyType, CultureInfo.InvariantCulture));
        }
        return result;
    }
}
