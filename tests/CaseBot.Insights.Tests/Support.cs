using CaseBot.Core.Answering;
using CaseBot.Core.Hosting;
using CaseBot.Insights;
using Microsoft.Extensions.Options;

namespace CaseBot.Insights.Tests;

internal static class Make
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static Answer Answered(string question, params string[] docIds) => new()
    {
        Question = question,
        Answered = true,
        Text = string.Join("\n", docIds.Select(d => $"[{d}] A sentence from {d}.")),
        Citations = docIds.Select(d => new Citation(d, "Title " + d, $"A sentence from {d}.")).ToList(),
        Confidence = 0.8,
    };

    public static Answer Declined(string question) => new()
    {
        Question = question,
        Answered = false,
        Text = "The case documents don't say.",
        Confidence = 0.1,
    };

    public static AnsweredQuestion Asked(Answer answer, DateTimeOffset at, string platform = "slack", string user = "U123-alice",
        string? channel = "C42", double ms = 3) =>
        new(new AskContext(platform, channel, user), answer.Question, answer, TimeSpan.FromMilliseconds(ms), at);

    public static QuestionRecord Record(string question, bool answered, DateTimeOffset at, string platform = "discord",
        string[]? cited = null, double ms = 2) =>
        new(at, platform, "C1", "hash-" + question.Length, question, answered, cited ?? [], answered ? 0.8 : 0.1, ms,
            Core.Feedback.AnswerKey.For(question, answered ? "x" : "no"));

    public static IOptions<InsightsOptions> Options(int capacity = 1000) =>
        Microsoft.Extensions.Options.Options.Create(new InsightsOptions { QueueCapacity = capacity });

    public static string TempFolder(string name) => RepoPaths.NewTempFolder(name);
}
