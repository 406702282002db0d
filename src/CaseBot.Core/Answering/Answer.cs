namespace CaseBot.Core.Answering;

/// <summary>One quoted sentence (footnote markers removed) and the document it comes from.</summary>
public sealed record Citation(string DocId, string Title, string Quote)
{
    /// <summary>The document's own publication date as shown after its id (<c>27 Apr 2026</c>); null when it has none.</summary>
    public string? Dated { get; init; }
}

/// <summary>A document the retriever ranked for a question, best first.</summary>
public sealed record RankedDoc(string DocId, double Score);

/// <summary>
/// What CaseBot says to a question. <see cref="Text"/> is plain text as chat shows it: one line per citation,
/// shaped <c>[004] quoted sentence</c>, or a plain decline. Adapters format <see cref="Citations"/> their own way.
/// </summary>
public sealed record Answer
{
    public required string Question { get; init; }
    public required bool Answered { get; init; }
    public required string Text { get; init; }
    /// <summary>A short span (a sum, a name, a date) when the question asks for one; always inside a quote.</summary>
    public string? Short { get; init; }
    public IReadOnlyList<Citation> Citations { get; init; } = [];
    public IReadOnlyList<RankedDoc> Docs { get; init; } = [];
    /// <summary>When declined: the document that came closest, if any, for "see also".</summary>
    public string? ClosestDocId { get; init; }
    /// <summary>Set when the input itself was unusable (empty, only symbols): adapters show usage help.</summary>
    public bool IsUsageError { get; init; }
    /// <summary>The decider's probability that the quoted sentence answers the question (0 when not assessed).</summary>
    public double Confidence { get; init; }
    /// <summary>The named inputs behind <see cref="Confidence"/>, when a sentence was assessed.</summary>
    public Features.FeatureVector? Evidence { get; init; }
    /// <summary>What the engine read: the asked-for type, spelling corrections, the runner-up sentences.</summary>
    public Explanation? Explanation { get; init; }
    public double Milliseconds { get; init; }
}

/// <summary>Why this answer: what the question was read as and which sentences came next. Same question, same
/// index: same explanation.</summary>
public sealed record Explanation(
    string ReadAs,
    string AnswerType,
    IReadOnlyList<string> Terms,
    IReadOnlyList<string> Corrections,
    IReadOnlyList<RunnerUp> RunnersUp,
    double Threshold)
{
    /// <summary>The sentence ranked first, with the ranker's score: the quote when answered, and what was weighed and
    /// set aside when declined.</summary>
    public RunnerUp? Best { get; init; }

    /// <summary>The rule that declined the question whatever its confidence ("it asks for a date and …"), or null when
    /// the decider's confidence alone decided.</summary>
    public string? Gate { get; init; }
}

public sealed record RunnerUp(string DocId, string Quote, double Score);
