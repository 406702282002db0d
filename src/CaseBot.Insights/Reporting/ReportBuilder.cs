using CaseBot.Core;
using CaseBot.Core.Corpus;
using CaseBot.Insights.Storage;

namespace CaseBot.Insights.Reporting;

/// <summary>Builds the <see cref="InsightReport"/> from the store's rows (the window is small enough to read whole).</summary>
public static class ReportBuilder
{
    public const int TopN = 10;

    public static async Task<InsightReport> BuildAsync(IInsightStore store, IReadOnlyList<DocumentInfo> documents, TimeSpan window,
        TimeProvider time, CancellationToken ct = default)
    {
        var to = time.GetUtcNow();
        var from = to - window;
        var questions = await store.QuestionsSinceAsync(from, ct).ConfigureAwait(false);
        var votes = await store.VotesSinceAsync(from, ct).ConfigureAwait(false);
        var known = questions.GroupBy(q => q.AnswerKey).ToDictionary(g => g.Key, g => g.Last());
        // Votes can outlive the window of the question they are about; look those answers up one by one.
        foreach (var key in votes.Select(v => v.AnswerKey).Distinct().Where(k => !known.ContainsKey(k)).ToList())
            if (await store.FindAnswerAsync(key, ct).ConfigureAwait(false) is { } found) known[key] = found;
        return Build(store.Backend, questions, votes, known, documents, from, to);
    }

    public static InsightReport Build(string backend, IReadOnlyList<QuestionRecord> questions, IReadOnlyList<VoteRecord> votes,
        IReadOnlyDictionary<string, QuestionRecord> answers, IReadOnlyList<DocumentInfo> documents, DateTimeOffset from, DateTimeOffset to)
    {
        var declined = QuestionGrouping.Group(questions.Where(q => !q.Answered).Select(q => (q.Question, q.At))).Take(TopN).ToList();

        var downvoted = votes.GroupBy(v => v.AnswerKey)
            .Select(g => (Key: g.Key, Down: g.Count(v => v.Value < 0), Up: g.Count(v => v.Value > 0)))
            .Where(x => x.Down > 0)
            .OrderByDescending(x => x.Down).ThenBy(x => x.Up).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Take(TopN)
            .Select(x => answers.TryGetValue(x.Key, out var q)
                ? new DownvotedAnswer(x.Key, q.Question, q.Answered, q.CitedDocIds, x.Down, x.Up)
                : new DownvotedAnswer(x.Key, null, null, [], x.Down, x.Up))
            .ToList();

        var platforms = questions.GroupBy(q => q.Platform).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PlatformSummary(g.Key, g.Count(), g.Count(q => q.Answered), Rate(g), Percentile(g, 0.5), Percentile(g, 0.95)))
            .ToList();

        var hourly = to - from < TimeSpan.FromDays(2);
        var bucket = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % bucket.Ticks, TimeSpan.Zero);
        var timeline = questions.GroupBy(q => (q.Platform, Start: Floor(q.At)))
            .OrderBy(g => g.Key.Start).ThenBy(g => g.Key.Platform, StringComparer.Ordinal)
            .Select(g => new PlatformPoint(g.Key.Platform, g.Key.Start, g.Count(), g.Count(q => q.Answered), Rate(g), Percentile(g, 0.5)))
            .ToList();

        var cited = questions.Where(q => q.Answered).SelectMany(q => q.CitedDocIds)
            .GroupBy(id => id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var titles = documents.ToDictionary(d => d.Id, d => d.Title, StringComparer.OrdinalIgnoreCase);
        var citedMost = cited.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(TopN)
            .Select(kv => new DocCount(kv.Key, titles.GetValueOrDefault(kv.Key, "(no longer in the corpus)"), kv.Value)).ToList();
        var never = documents.Where(d => !cited.ContainsKey(d.Id)).Select(d => new DocRef(d.Id, d.Title)).ToList();

        return new InsightReport(from, to, backend, questions.Count, questions.Count(q => q.Answered), declined, downvoted, platforms,
            hourly ? "hour" : "day", timeline, citedMost, never);
    }

    private static double Rate(IEnumerable<QuestionRecord> g)
    {
        var list = g as ICollection<QuestionRecord> ?? g.ToList();
        return list.Count == 0 ? 0 : Math.Round((double)list.Count(q => q.Answered) / list.Count, 3);
    }

    private static double Percentile(IEnumerable<QuestionRecord> g, double p)
    {
        var sorted = g.Select(q => q.LatencyMs).Order().ToList();
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 2);
    }

    /// <summary>Parses <c>7d</c>, <c>24h</c>, <c>90m</c>, <c>2w</c> (or a plain number of days).</summary>
    public static bool TryParseWindow(string? text, out TimeSpan window)
    {
        window = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim().ToLowerInvariant();
        var unit = char.IsLetter(text[^1]) ? text[^1] : 'd';
        var digits = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
            return false;
        window = unit switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => TimeSpan.Zero,
        };
        return window > TimeSpan.Zero && window <= TimeSpan.FromDays(3650);
    }
}
