using System.Text;
using System.Text.Json.Nodes;
using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Feedback;
using CaseBot.Slack.WebApi;

namespace CaseBot.Slack.Formatting;

/// <summary>
/// Renders an <see cref="Answer"/> as Block Kit: the quoted sentence(s) in a section, the cited documents
/// (<c>[004]</c> + title) in a context block, and a plain-text fallback. Every piece of corpus or user text is
/// escaped, so a quote containing <c>&lt;!channel&gt;</c> stays inert text. Every answer ends with 👍 / 👎 / "Why this
/// answer?" buttons whose action ids carry the answer's key (<see cref="FeedbackButtons"/>).
/// </summary>
public sealed class SlackAnswerFormatter(ICaseBot bot)
{
    // Slack caps a section's text (and any text object) at 3000 characters and a context block at 10 elements.
    private const int SectionMax = 2900;
    private const int ContextMax = 10;
    private const int TitleMax = 200;
    private const int FallbackMax = 3500;

    public SlackMessage Format(Answer answer, string? askedBy = null)
    {
        var blocks = new JsonArray();
        if (askedBy is not null)
            blocks.Add(Context([$"<@{askedBy}> asked: {SlackText.EscapeWithin(answer.Question, 300)}"]));

        if (answer.Answered && answer.Citations.Count > 0)
        {
            var body = new StringBuilder();
            if (!string.IsNullOrWhiteSpace(answer.Short))
                body.Append('*').Append(SlackText.Escape(answer.Short.Trim())).Append("*\n");
            foreach (var c in answer.Citations)
                body.Append("&gt; ").Append(SlackText.EscapeWithin(c.Quote, SectionMax)).Append(" `[").Append(SlackText.Escape(c.DocId)).Append("]`\n");
            blocks.Add(Section(SlackText.Truncate(body.ToString().TrimEnd(), SectionMax)));

            var sources = answer.Citations
                .DistinctBy(c => c.DocId)
                .Take(ContextMax)
                .Select(c => $"*[{SlackText.EscapeWithin(c.DocId, 40)}]* {SlackText.EscapeWithin(c.Title, TitleMax)}")
                .ToList();
            blocks.Add(Context(sources));
        }
        else
        {
            blocks.Add(Section(SlackText.EscapeWithin(answer.Text, SectionMax)));
            if (answer.ClosestDocId is { } closest && bot.FindDocument(closest) is { } doc)
                blocks.Add(Context([$"Closest document: *[{SlackText.EscapeWithin(doc.Id, 40)}]* {SlackText.EscapeWithin(doc.Title, TitleMax)}"]));
        }

        blocks.Add(FeedbackActions(AnswerKey.For(answer)));
        return new SlackMessage(Fallback(answer), blocks);
    }

    /// <summary>The actions block under an answer; clicks come back as <c>block_actions</c> (Socket Mode <c>interactive</c>).</summary>
    internal static JsonObject FeedbackActions(string answerKey) => new()
    {
        ["type"] = "actions",
        ["block_id"] = "casebot_feedback",
        ["elements"] = new JsonArray(
            Button(FeedbackButtons.Id(FeedbackAction.Up, answerKey), "👍", answerKey),
            Button(FeedbackButtons.Id(FeedbackAction.Down, answerKey), "👎", answerKey),
            Button(FeedbackButtons.Id(FeedbackAction.Why, answerKey), "Why this answer?", answerKey)),
    };

    private static JsonObject Button(string actionId, string text, string value) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true },
        ["value"] = value,
    };

    /// <summary>Plain text for notifications and clients without Block Kit; escaped like the blocks.</summary>
    private static string Fallback(Answer answer)
    {
        var text = answer.Answered && answer.Citations.Count > 0
            ? string.Join("\n", answer.Citations.Select(c => $"[{c.DocId}] {c.Quote}"))
            : answer.Text;
        return SlackText.EscapeWithin(text, FallbackMax);
    }

    public static SlackMessage Plain(string text) =>
        new(SlackText.EscapeWithin(text, FallbackMax), [Section(SlackText.EscapeWithin(text, SectionMax))]);

    internal static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    internal static JsonObject Context(IEnumerable<string> mrkdwnElements)
    {
        var elements = new JsonArray();
        foreach (var e in mrkdwnElements) elements.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = e });
        return new JsonObject { ["type"] = "context", ["elements"] = elements };
    }
}
