using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CaseBot.Core.Answering;
using CaseBot.Core.Hosting;

namespace CaseBot.Core.Feedback;

/// <summary>What a 👍 / 👎 / "Why this answer?" button carries: the action and the <see cref="AnswerKey"/>.</summary>
public enum FeedbackAction
{
    Up,
    Down,
    Why,
}

/// <summary>
/// The button ids every chat surface puts under an answer (<c>casebot:up:KEY</c>, <c>casebot:down:KEY</c>,
/// <c>casebot:why:KEY</c>; KEY from <see cref="AnswerKey.For(Answer)"/>), and reading them back. A forged id never
/// parses to anything but a well-formed key.
/// </summary>
public static class FeedbackButtons
{
    public const string Prefix = "casebot:";

    public static string Id(FeedbackAction action, string answerKey) =>
        Prefix + action.ToString().ToLowerInvariant() + ":" + answerKey;

    public static bool TryParse(string? id, out FeedbackAction action, out string answerKey)
    {
        action = default;
        answerKey = "";
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = id[Prefix.Length..].Split(':');
        if (parts.Length != 2 || !AnswerKey.IsWellFormed(parts[1])) return false;
        action = parts[0] switch { "up" => FeedbackAction.Up, "down" => FeedbackAction.Down, "why" => FeedbackAction.Why, _ => (FeedbackAction)(-1) };
        if (!Enum.IsDefined(action)) return false;
        answerKey = parts[1];
        return true;
    }
}

/// <summary>
/// The answers given recently, by <see cref="AnswerKey"/>, so "Why this answer?" can show the explanation of the
/// answer the button sits under (memory only, bounded; an answer older than that asks the member to ask again).
/// An <see cref="IAnswerObserver"/>: the question pipeline tells it of every answer on every surface.
/// </summary>
public sealed class RecentAnswers : IAnswerObserver
{
    public const int Capacity = 5_000;

    private readonly ConcurrentDictionary<string, (Answer Answer, long Seq)> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, long Seq)> _order = new();
    private long _seq;

    public void OnAnswered(AnsweredQuestion question) => Remember(question.Answer);

    public void Remember(Answer answer)
    {
        if (answer.IsUsageError) return;
        var key = AnswerKey.For(answer);
        var seq = Interlocked.Increment(ref _seq);
        _answers[key] = (answer, seq);
        _order.Enqueue((key, seq));
        // Forget the oldest; a key given again since keeps its newer entry.
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            if (_answers.TryGetValue(oldest.Key, out var entry) && entry.Seq == oldest.Seq)
                _answers.TryRemove(new KeyValuePair<string, (Answer, long)>(oldest.Key, entry));
    }

    public Answer? Find(string answerKey) => _answers.TryGetValue(answerKey, out var entry) ? entry.Answer : null;
}

/// <summary>"Why this answer?" as plain text (surfaces escape it for their markup): what the question was read as,
/// the matched terms and aliases, corrections, the confidence against the threshold, and the runner-up passages with
/// their documents and scores. Pure: same answer, same text.</summary>
public static class WhyText
{
    public const string Expired = "I no longer have the details of that answer. Ask the question again and press the button under the new answer.";
    private const int MaxRunnersUp = 3;
    private const int MaxQuote = 200;

    public static string For(Answer answer)
    {
        var text = new StringBuilder();
        var e = answer.Explanation;
        text.Append("Why this answer to \"").Append(Clip(answer.Question, 200)).Append("\"\n");
        if (e is not null)
        {
            text.Append("Read as: ").Append(e.ReadAs).Append(" (expects ").Append(e.AnswerType).Append(")\n");
            if (e.Terms.Count > 0) text.Append("Matched terms and aliases: ").Append(string.Join(", ", e.Terms)).Append('\n');
            if (e.Corrections.Count > 0) text.Append("Spelling read as: ").Append(string.Join(", ", e.Corrections)).Append('\n');
        }
        var threshold = e?.Threshold;
        text.Append("Confidence: ").Append(Number(answer.Confidence));
        if (threshold is { } t)
            text.Append(" against a threshold of ").Append(Number(t))
                .Append(answer.Answered ? " (answered)" : e?.Gate is { } gate ? $" (declined: {gate})" : " (declined: below the threshold)");
        text.Append('\n');
        if (answer.Citations.Count > 0)
            text.Append("Quoted: ").Append(string.Join(", ", answer.Citations.Select(c => "[" + c.DocId + "]").Distinct())).Append('\n');
        // A declined answer quotes nothing: the sentence weighed and set aside is what a moderator needs to see.
        if (!answer.Answered && e?.Best is { } best)
            text.Append("Best passage weighed: [").Append(best.DocId).Append("] ").Append(Number(best.Score)).Append(" \"").Append(Clip(best.Quote, MaxQuote)).Append("\"\n");
        var runners = e?.RunnersUp ?? [];
        if (runners.Count > 0)
        {
            text.Append("Runners-up:\n");
            foreach (var r in runners.Take(MaxRunnersUp))
                text.Append("  [").Append(r.DocId).Append("] ").Append(Number(r.Score)).Append(" \"").Append(Clip(r.Quote, MaxQuote)).Append("\"\n");
        }
        else text.Append("Runners-up: none\n");
        return text.ToString().TrimEnd();
    }

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
