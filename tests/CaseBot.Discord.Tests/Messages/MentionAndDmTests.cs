using System.Text.Json.Nodes;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Tests.Infrastructure;

namespace CaseBot.Discord.Tests.Messages;

public sealed class MentionAndDmTests
{
    [Fact]
    public async Task Mention_in_a_channel_gets_one_reply_citing_the_right_document()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "1001", "Why did the mayor block the contract?"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path == $"/channels/{Events.ChannelId}/messages");
        await rig.StopAsync();

        Assert.Single(rig.Replies);
        var body = reply.Json!;
        Assert.Contains("[004]", (string)body["content"]!);
        Assert.Contains("procurement", (string)body["content"]!);
        Assert.Contains(FakeCaseBot.BlockedTitle, (string)body["content"]!);
        Assert.Equal("1001", (string)body["message_reference"]!["message_id"]!);
        Assert.Equal("""{"parse":[]}""", body["allowed_mentions"]!.ToJsonString());
        Assert.Equal("Bot " + DiscordTestRig.Token, reply.Headers["Authorization"]);
        Assert.StartsWith("DiscordBot (", reply.Headers["User-Agent"]);
        Assert.Equal(1, rig.Bot.Asks);
    }

    [Fact]
    public async Task Direct_message_without_a_mention_gets_one_reply_citing_the_right_document()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.DirectMessage(2, "2001", "who blocked the deal?"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path == $"/channels/{Events.DmChannelId}/messages");
        await rig.StopAsync();

        Assert.Single(rig.Replies);
        Assert.Contains("[004]", (string)reply.Json!["content"]!);
        Assert.Equal("2001", (string)reply.Json!["message_reference"]!["message_id"]!);
        Assert.Null(reply.Json!["message_reference"]!["guild_id"]);
    }

    [Fact]
    public async Task Messages_from_bots_itself_included_and_unmentioned_chatter_get_no_reply()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "3001", "why block it?", authorId: Events.BotUserId));
        await gateway.SendAsync(Events.Mention(3, "3002", "why block it?", authorId: "123", authorIsBot: true));
        await gateway.SendAsync(Events.ChannelChatter(4, "3003", "anyone know why they blocked it?"));
        await gateway.SendAsync(Events.Mention(5, "3004", "why block it?"));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));
        await rig.StopAsync();

        var reply = Assert.Single(rig.Replies);
        Assert.Equal("3004", (string)reply.Json!["message_reference"]!["message_id"]!);
        Assert.Equal(1, rig.Bot.Asks);
    }

    [Fact]
    public async Task A_quote_containing_everyone_pings_nobody()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        rig.Bot.Answerer = q => FakeCaseBot.Cited(q,
            new CaseBot.Core.Answering.Citation("004", "Title", "@everyone @here look: <@53908099506183680> and <@&785609923542777878> said **no**."));
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "4001", "who objected?"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));

        var body = reply.Json!;
        var content = (string)body["content"]!;
        Assert.Equal("""{"parse":[]}""", body["allowed_mentions"]!.ToJsonString());
        Assert.DoesNotContain("@everyone", content);
        Assert.DoesNotContain("@here", content);
        Assert.Contains(@"\<@53908099506183680", content);
        Assert.DoesNotMatch(@"(?<!\\)<@", content);
        Assert.Contains(@"\*\*no\*\*", content);
        // The defaults Discord documents would ping: prove we send something else.
        Assert.NotEqual(Fixture.Json("rest/allowed_mentions_default_regular.json").ToJsonString(), body["allowed_mentions"]!.ToJsonString());
    }

    [Fact]
    public async Task An_over_long_answer_stays_within_the_content_limit()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var longQuote = string.Concat(Enumerable.Repeat("The *contract* was_blocked | ", 60));
        rig.Bot.Answerer = q => FakeCaseBot.Cited(q,
            new CaseBot.Core.Answering.Citation("004", new string('T', 300), longQuote), new CaseBot.Core.Answering.Citation("001", "Second", longQuote), new CaseBot.Core.Answering.Citation("002", "Third", longQuote));
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "5001", "tell me everything"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));

        var content = (string)reply.Json!["content"]!;
        Assert.InRange(content.Length, 500, 2000);
        Assert.Contains("[004]", content);
    }

    [Fact]
    public async Task A_refusal_from_the_question_gate_is_sent_instead_of_an_answer()
    {
        await using var rig = await DiscordTestRig.StartAsync(gate: new RefusingGate());
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "6001", "why block it?"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));

        Assert.Contains("Slow down", (string)reply.Json!["content"]!);
        Assert.Equal(0, rig.Bot.Asks);
    }

    private sealed class RefusingGate : IQuestionGate
    {
        public GateDecision Check(string platform, string userId, string? channelId) =>
            platform == "discord" && userId == Events.UserId ? GateDecision.Refuse("Slow down: one question a minute.") : GateDecision.Allow;
    }
}
