using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using CaseBot.Discord.Formatting;

namespace CaseBot.Discord.Tests.Formatting;

/// <summary>
/// Issue 11, "Prove it: hostile input" through the Discord formatter: 10,000 generated strings (seeded) as questions,
/// quotes, titles, short answers, declines, document openings, unknown ids and reindex messages. No exception; never
/// over Discord's 2,000 characters; no <c>@everyone</c>/<c>@here</c> and no unescaped <c>&lt;</c> (so no
/// <c>&lt;@id&gt;</c>, <c>&lt;#id&gt;</c>, <c>&lt;@&amp;id&gt;</c>); in text that is only input, every Markdown character
/// escaped and no line break; and every body sent carries <c>allowed_mentions: {"parse": []}</c> besides.
/// </summary>
public sealed class HostileFormattingTests
{
    private const int Seed = 20261130;
    private const string MarkdownCharacters = "\\*_~`|><#[]";

    [Fact]
    public void Ten_thousand_hostile_strings_format_within_discords_limit_and_never_ping_or_inject_markdown()
    {
        foreach (var (i, hostile, other) in HostileQuestions.Pairs(Seed, 10_000))
        {
            var doc = new DocumentInfo("004", other, "004.txt", hostile);
            var plain = new[]
            {
                DiscordAnswerFormatter.Plain(hostile),
                DiscordAnswerFormatter.Format(new Answer { Question = other, Answered = false, Text = hostile }),
            };
            var formatted = new[]
            {
                DiscordAnswerFormatter.Format(new Answer
                {
                    Question = other, Answered = true, Text = hostile, Short = other,
                    Citations = [new Citation("004", other, hostile), new Citation("002", hostile, other)],
                }),
                DiscordAnswerFormatter.Format(new Answer { Question = hostile, Answered = false, Text = other, ClosestDocId = "004" }),
                DiscordAnswerFormatter.FormatSource(doc),
                DiscordAnswerFormatter.FormatUnknownSource(hostile, [doc]),
                DiscordAnswerFormatter.FormatReindex(new ReindexResult(false, 0, 0, 0, hostile, other)),
            };
            foreach (var content in plain.Concat(formatted)) AssertCannotPing(content, i);
            foreach (var content in plain.Where(p => !p.Contains('\n'))) AssertAllMarkdownEscaped(content, i);
        }
    }

    [Fact]
    public void Every_message_body_turns_off_all_mentions()
    {
        const string content = "@everyone <@123> <@&456>";
        foreach (var body in new[]
                 {
                     DiscordMessages.Message(content), DiscordMessages.Message(content, ephemeral: true),
                     DiscordMessages.Reply(content, "1", "2", "3"), (System.Text.Json.Nodes.JsonObject)DiscordMessages.ChannelMessage(content)["data"]!,
                     DiscordMessages.Edit(content),
                 })
            Assert.Equal("""{"parse":[]}""", body["allowed_mentions"]!.ToJsonString());
    }

    private static void AssertCannotPing(string content, int index)
    {
        Assert.True(content.Length <= DiscordAnswerFormatter.MaxContentLength, $"input #{index}: {content.Length} characters");
        Assert.DoesNotContain("@everyone", content, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@here", content, StringComparison.OrdinalIgnoreCase);
        for (var at = content.IndexOf('<'); at >= 0; at = content.IndexOf('<', at + 1))
            Assert.True(Escaped(content, at), $"input #{index}: unescaped '<' at {at}");
    }

    private static void AssertAllMarkdownEscaped(string content, int index)
    {
        for (var at = 0; at < content.Length; at++)
        {
            if (!MarkdownCharacters.Contains(content[at]) || content[at] == '\\' && at + 1 < content.Length && MarkdownCharacters.Contains(content[at + 1]))
            {
                if (content[at] == '\\') at++; // an escape and the character it escapes
                continue;
            }
            Assert.Fail($"input #{index}: unescaped '{content[at]}' at {at}");
        }
    }

    /// <summary>True when an odd run of backslashes stands right before <paramref name="at"/>.</summary>
    private static bool Escaped(string text, int at)
    {
        var slashes = 0;
        for (var i = at - 1; i >= 0 && text[i] == '\\'; i--) slashes++;
        return slashes % 2 == 1;
    }
}
