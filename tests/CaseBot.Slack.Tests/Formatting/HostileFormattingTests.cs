using System.Text.Json.Nodes;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Slack.Formatting;
using CaseBot.Slack.WebApi;
using CaseBot.TestSupport;

namespace CaseBot.Slack.Tests.Formatting;

/// <summary>
/// Issue 11, "Prove it: hostile input" through the Slack formatter: 10,000 generated strings (seeded) as questions,
/// quotes, titles, short answers and declines. No exception; every text object within Slack's 3,000 characters and
/// the fallback within 4,000; and nothing from the input can mention anyone or link anywhere: the only <c>&lt;</c> in
/// the output is the formatter's own <c>&lt;@asker&gt;</c>. (Slack has no escape for <c>*</c>, <c>_</c>, <c>~</c>;
/// those stay literal characters in corpus text.)
/// </summary>
public sealed class HostileFormattingTests
{
    private const int Seed = 20261130;
    private const string Asker = "U0ASKER";

    [Fact]
    public void Ten_thousand_hostile_strings_format_within_slacks_limits_and_never_mention_or_link()
    {
        foreach (var (i, hostile, other) in HostileQuestions.Pairs(Seed, 10_000))
        {
            var doc = new DocumentInfo("004", other, "004.txt", hostile);
            var formatter = new SlackAnswerFormatter(new FixedDocs(doc));
            var messages = new[]
            {
                formatter.Format(Answered(hostile, other), Asker),
                formatter.Format(Answered(other, hostile)),
                formatter.Format(new Answer { Question = hostile, Answered = false, Text = other, ClosestDocId = "004" }, Asker),
                SlackAnswerFormatter.Plain(hostile),
            };
            foreach (var message in messages) AssertSafe(message, i);
        }
    }

    // Found by the test above: a 100 KB title went into a context element whole, and a decline's text into a
    // section whole; Slack refuses such a message (invalid_blocks), so the answer was lost.
    [Fact]
    public void A_huge_title_or_decline_is_cut_to_slacks_text_limit_without_splitting_an_entity()
    {
        var huge = string.Concat(Enumerable.Repeat("a&<b> ", 20_000));
        var formatter = new SlackAnswerFormatter(new FixedDocs(new DocumentInfo("004", huge, "004.txt", huge)));

        AssertSafe(formatter.Format(Answered(huge, huge)), 0);
        var declined = formatter.Format(new Answer { Question = huge, Answered = false, Text = huge, ClosestDocId = "004" });
        AssertSafe(declined, 0);
        Assert.EndsWith("…", Texts(declined).First());
        Assert.DoesNotMatch("&(a|am|l|g)?…", Texts(declined).First());
    }

    private static Answer Answered(string question, string quote) => new()
    {
        Question = question,
        Answered = true,
        Text = quote,
        Short = quote.Length > 200 ? quote[..200] : quote,
        Citations = [new Citation("004", quote, quote), new Citation("002", question, quote)],
    };

    private static void AssertSafe(SlackMessage message, int index)
    {
        Assert.InRange(message.Text.Length, 0, 4_000);
        Assert.InRange(message.Blocks!.Count, 1, 50);
        foreach (var text in Texts(message).Append(message.Text))
        {
            Assert.True(text.Length <= 3_000 || text == message.Text, $"input #{index}: a text object of {text.Length} characters");
            var rest = text.Replace($"<@{Asker}>", "", StringComparison.Ordinal);
            Assert.False(rest.Contains('<') || rest.Contains('>'), $"input #{index}: raw angle bracket in {Show(rest)}");
        }
        foreach (var block in message.Blocks!.Where(b => (string?)b!["type"] == "context"))
            Assert.InRange(block!["elements"]!.AsArray().Count, 1, 10);
    }

    /// <summary>Every mrkdwn/plain text in the blocks.</summary>
    private static IEnumerable<string> Texts(SlackMessage message) =>
        message.Blocks!.SelectMany(b => Descendants(b!)).Where(n => n.Parent is JsonObject o && o["type"] is not null && n.GetPropertyName() == "text"
                                                                   && n.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .Select(n => n.GetValue<string>());

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(v => Descendants(v).Prepend(v)),
        JsonArray a => a.OfType<JsonNode>().SelectMany(v => Descendants(v).Prepend(v)),
        _ => [],
    };

    private static string Show(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private sealed class FixedDocs(DocumentInfo doc) : ScriptedCaseBot([doc], q => Declined(q));
}
