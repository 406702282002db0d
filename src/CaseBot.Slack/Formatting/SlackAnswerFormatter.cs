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
    // Slack caps a section's text at 3000 characters and a context block at 10 elements.
    private const int SectionMax = 2900;
    private const int ContextMax = 10;

    public SlackMessage Format(Answer answer, string? askedBy = null)
    {
        var blocks = new JsonArray();
        if (askedBy is not null)
            blocks.Add(Context([$"<@{askedBy}> asked: {SlackText.Escape(SlackText.Truncate(answer.Question, 300))}"]));

        if (answer.Answered && answer.Citations.Count > 0)
        {
            var body = new StringBuilder();
            if (!string.IsNullOrWhiteSpace(answer.Short))
                body.Append('*').Append(SlackText.Escape(answer.Short.Trim())).Append("*\n");
            foreach (var c in answer.Citations)
                body.Append("&gt; ").Append(SlackText.Escape(c.Quote)).Append(" `[").Append(SlackText.Escape(c.DocId)).Append("]`\n");
            blocks.Add(Section(SlackText.Truncate(body.ToString().TrimEnd(), SectionMax)));

            var sources = answer.Citations
                .DistinctBy(c => c.DocId)
                .Take(ContextMax)
                .Select(c => $"*[{SlackText.Escape(c.DocId)}]* {SlackText.Escape(c.Title)}")
                .ToList();
            blocks.Add(Context(sources));
        }
        else
        {
            blocks.Add(Section(SlackText.Escape(answer.Text)));
            if (answer.ClosestDocId is { } closest && bot.FindDocument(closest) is { } doc)
                blocks.Add(Context([$"Closest document: *[{SlackText.Escape(doc.Id)}]* {SlackText.Escape(doc.Title)}"]));
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
        return SlackText.Escape(SlackText.Truncate(text, 3500));
    }

    public static SlackMessage Plain(string text) =>
        new(SlackText.Escape(text), [Section(SlackText.Escape(text))]);

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
