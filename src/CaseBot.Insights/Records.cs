namespace CaseBot.Insights;

/// <summary>
/// One answered or declined question as stored: the question text, the cited document ids, and a salted hash of
/// the asker — never a name, a token or any other message text.
/// </summary>
public sealed record QuestionRecord(
    DateTimeOffset At,
    string Platform,
    string? ChannelId,
    string UserHash,
    string Question,
    bool Answered,
    IReadOnlyList<string> CitedDocIds,
    double Confidence,
    double LatencyMs,
    string AnswerKey);

/// <summary>One user's current vote on one answer (+1 or -1).</summary>
public sealed record VoteRecord(DateTimeOffset At, string Platform, string AnswerKey, string UserHash, int Value);
