using CaseBot.Core.Answering;
using CaseBot.Discord.Formatting;
using CaseBot.Discord.Tests.Infrastructure;

namespace CaseBot.Discord.Tests.Formatting;

public sealed class DiscordAnswerFormatterTests
{
    [Fact]
    public void Each_quote_is_a_block_quote_line_led_by_its_citation_followed_by_the_titles()
    {
        var answer = FakeCaseBot.Cited("q", new Citation("004", "Mayor blocks deal", "It was blocked."), new Citation("001", "Background", "Palantir bid."));

        var text = DiscordAnswerFormatter.Format(answer);

        Assert.Equal("> [004] It was blocked.\n> [001] Palantir bid.\nSources: [004] *Mayor blocks deal* · [001] *Background*", text);
    }

    [Fact]
    public void Usage_help_names_the_configured_case_and_example_not_a_baked_in_one()
    {
        var profile = new CaseBot.Core.Hosting.BotProfileOptions
        {
            Name = "HarbourBot", Description = "the *harbour* bridge inquiry", ExampleQuestion = "Who approved the bridge?",
        };

        var usage = DiscordAnswerFormatter.Usage(profile);

        Assert.Contains(@"the \*harbour\* bridge inquiry", usage);
        Assert.Contains("`/ask question: Who approved the bridge?`", usage);
        Assert.DoesNotContain("Palantir", usage);
        Assert.Equal(usage, DiscordAnswerFormatter.Format(new Answer { Question = "", Answered = false, Text = "", IsUsageError = true }, profile));
    }

    [Fact]
    public void The_short_answer_leads_in_bold()
    {
        var answer = FakeCaseBot.Cited("how much?", new Citation("004", "T", "A £50m contract.")) with { Short = "£50m" };

        Assert.StartsWith("**£50m**\n> [004] A £50m contract.", DiscordAnswerFormatter.Format(answer));
    }

    [Theory]
    [InlineData("a *b* _c_ ~d~ `e` |f| \\g", @"a \*b\* \_c\_ \~d\~ \`e\` \|f\| \\g")]
    [InlineData("# not a heading", @"\# not a heading")]
    [InlineData("[link](https://x.example)", @"\[link\](https://x.example)")]
    [InlineData("line one\nline two", "line one line two")]
    [InlineData("ping @everyone and @here", "ping @\u200Beveryone and @\u200Bhere")]
    [InlineData("<@123> <@&456> <#789>", @"\<@123> \<@&456> \<\#789>")]
    public void Markdown_and_mentions_in_quotes_are_escaped(string quote, string expected)
    {
        Assert.Equal(expected, DiscordMarkdown.Escape(quote).Replace(@"\>", ">"));
    }

    [Fact]
    public void A_decline_says_so_and_names_the_closest_document()
    {
        var answer = new Answer { Question = "q", Answered = false, Text = "The case documents don't say.", ClosestDocId = "002" };

        Assert.Equal("The case documents don't say.\nClosest document: [002]", DiscordAnswerFormatter.Format(answer));
    }

    [Fact]
    public void A_usage_error_gets_usage_help()
    {
        var answer = new Answer { Question = "", Answered = false, Text = "", IsUsageError = true };

        Assert.Equal(DiscordAnswerFormatter.Usage(new CaseBot.Core.Hosting.BotProfileOptions()), DiscordAnswerFormatter.Format(answer));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(12)]
    public void Over_long_answers_stay_within_2000_characters_and_keep_the_first_citation(int citations)
    {
        var quote = string.Concat(Enumerable.Repeat("*Bold* claims_with_markdown \\ and 😀 emoji. ", 80)); // escapes double its length
        var answer = FakeCaseBot.Cited("q", Enumerable.Range(0, citations)
            .Select(i => new Citation($"{i:000}", new string('T', 400), quote)).ToArray()) with { Short = new string('S', 300) };

        var text = DiscordAnswerFormatter.Format(answer);

        Assert.InRange(text.Length, 1000, DiscordAnswerFormatter.MaxContentLength);
        Assert.Contains("> [000] ", text);
        Assert.Contains("Sources: [000] *", text);
        Assert.False(char.IsHighSurrogate(text[^1]));
    }

    [Fact]
    public void Truncation_never_leaves_a_dangling_escape_or_half_a_surrogate_pair()
    {
        Assert.Equal("ab…", DiscordMarkdown.Truncate(@"ab\*cd", 4));
        Assert.Equal("a…", DiscordMarkdown.Truncate("a😀bc", 3));
        Assert.Equal("short", DiscordMarkdown.Truncate("short", 10));
    }

    [Fact]
    public void Every_message_body_carries_allowed_mentions_parse_empty()
    {
        foreach (var body in new[]
                 {
                     DiscordMessages.Message("x"), DiscordMessages.Reply("x", "1", "2", "3"),
                     DiscordMessages.ChannelMessage("x")["data"]!.AsObject(), DiscordMessages.Edit("x"),
                 })
        {
            Assert.Equal("""{"parse":[]}""", body["allowed_mentions"]!.ToJsonString());
        }
    }
}
