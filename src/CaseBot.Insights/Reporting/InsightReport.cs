namespace CaseBot.Insights.Reporting;

/// <summary>What moderators read: what CaseBot could not answer, what members disliked, how each platform fares,
/// and which documents carry the answers. Serialised as is for <c>casebot report --json</c> and the console.</summary>
public sealed record InsightReport(
    DateTimeOffset From,
    DateTimeOffset To,
    string Backend,
    int Questions,
    int Answered,
    IReadOnlyList<DeclinedGroup> Declined,
    IReadOnlyList<DownvotedAnswer> MostDownvoted,
    IReadOnlyList<PlatformSummary> Platforms,
    string Bucket,
    IReadOnlyList<PlatformPoint> Timeline,
    IReadOnlyList<DocCount> CitedMost,
    IReadOnlyList<DocRef> NeverCited,
    IReadOnlyList<ReplayedQuestion>? Replay = null)
{
    public double AnswerRate => Questions == 0 ? 0 : (double)Answered / Questions;
}

/// <summary>Declined questions that say the same thing (near-duplicates), the most asked wording first.</summary>
public sealed record DeclinedGroup(string Question, int Count, IReadOnlyList<string> Variants, DateTimeOffset LastAsked);

public sealed record DownvotedAnswer(string AnswerKey, string? Question, bool? Answered, IReadOnlyList<string> Citations, int Down, int Up);

public sealed record PlatformSummary(string Platform, int Questions, int Answered, double AnswerRate, double MedianLatencyMs, double P95LatencyMs);

/// <summary>One platform in one time bucket (a day, or an hour for reports shorter than two days).</summary>
public sealed record PlatformPoint(string Platform, DateTimeOffset Start, int Questions, int Answered, double AnswerRate, double MedianLatencyMs);

public sealed record DocCount(string DocId, string Title, int Citations);

public sealed record DocRef(string DocId, string Title);

/// <summary>A once-declined question as the current index answers it now.</summary>
public sealed record ReplayedQuestion(string Question, int TimesDeclined, bool Answered, string Text, IReadOnlyList<string> Citations, double Confidence);
