using CaseBot.Core;

namespace CaseBot.Insights.Reporting;

/// <summary>
/// Asks the live index every question that was declined in the window again — straight through the engine, so
/// nothing is sent to any chat and nothing is recorded — and lists the ones it answers now (after an alias line
/// or a document was added and the corpus reindexed).
/// </summary>
public static class Replay
{
    public static IReadOnlyList<ReplayedQuestion> Run(ICaseBot bot, IEnumerable<QuestionRecord> questions, bool onlyNowAnswered = true)
    {
        var results = new List<ReplayedQuestion>();
        var declined = questions.Where(q => !q.Answered)
            .GroupBy(q => q.Question.Trim(), StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var g in declined)
        {
            var answer = bot.Ask(g.Key);
            if (answer.IsUsageError || (onlyNowAnswered && !answer.Answered)) continue;
            results.Add(new ReplayedQuestion(g.Key, g.Count(), answer.Answered, answer.Text,
                answer.Citations.Select(c => c.DocId).Distinct(StringComparer.Ordinal).ToList(), Math.Round(answer.Confidence, 3)));
        }
        return results;
    }
}
