using System.Text.Json.Nodes;
using CaseBot.Core.Answering;
using CaseBot.Discord.Tests.Infrastructure;

namespace CaseBot.Discord.Tests.Messages;

/// <summary>Follow-ups in a reply chain: a reply to one of the bot's answers is answered without a mention, read with
/// the chain's previous question.</summary>
public sealed class ReplyChainFollowUpTests
{
    [Fact]
    public async Task Three_turn_reply_chain_is_answered_without_mentions_from_the_contract_passage()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        // Only questions naming the contract reach [004]: "how much was it worth?" alone is declined.
        rig.Bot.Answerer = q => q.Contains("contract", StringComparison.OrdinalIgnoreCase)
            ? FakeCaseBot.Cited(q, new Citation("004", FakeCaseBot.BlockedTitle, FakeCaseBot.BlockedQuote))
            : FakeCaseBot.Declined(q, "000");
        var messages = $"/channels/{Events.ChannelId}/messages";
        rig.Fake.RespondOnce(r => r.Path == messages, Created("7001"));
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "1001", "Tell me about the proposed Palantir contract"));
        await Wait.UntilAsync(() => rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Debug, "Answer 7001 continues conversation"));
        rig.Fake.RespondOnce(r => r.Path == messages, Created("7002"));
        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 3, ReplyToBot("1002", "who blocked it?", "7001")));
        // The bot learns its answer's id from Discord's reply, a moment after the fake saw the request: a member replying
        // to that answer can only continue the chain once it is known.
        await Wait.UntilAsync(() => rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Debug, "Answer 7002 continues conversation"));
        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 4, ReplyToBot("1003", "how much was it worth?", "7002")));
        await Wait.UntilAsync(() => rig.Replies.Count == 3);
        await rig.StopAsync();

        var asked = rig.Bot.Questions;
        Assert.Equal(3, asked.Count);
        Assert.Equal("Tell me about the proposed Palantir contract", asked[0]);
        Assert.StartsWith("who blocked it?", asked[1]);
        Assert.Contains("Palantir contract", asked[1]);
        Assert.StartsWith("how much was it worth?", asked[2]);
        Assert.Contains("Palantir contract", asked[2]);
        var replies = rig.Replies;
        Assert.Equal(["1001", "1002", "1003"], replies.Select(r => (string)r.Json!["message_reference"]!["message_id"]!));
        Assert.All(replies, r => Assert.Contains("[004]", (string)r.Json!["content"]!));
    }

    [Fact]
    public async Task Reply_to_another_members_message_without_a_mention_gets_no_reply()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        var reply = ReplyToBot("2002", "who blocked it?", "2001");
        reply["referenced_message"]!["author"]!["id"] = Events.UserId;
        reply["referenced_message"]!["author"]!["bot"] = false;
        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 2, reply));
        await gateway.SendAsync(Events.Mention(3, "2003", "why block it?"));
        await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages"));
        await rig.StopAsync();

        var only = Assert.Single(rig.Replies);
        Assert.Equal("2003", (string)only.Json!["message_reference"]!["message_id"]!);
        Assert.Equal(1, rig.Bot.Asks);
    }

    /// <summary>A member's reply (type 19) to the bot's message <paramref name="botMessageId"/>, without a mention.</summary>
    private static JsonObject ReplyToBot(string messageId, string content, string botMessageId)
    {
        var message = Events.ChannelChatter(0, messageId, content)["d"]!.DeepClone().AsObject();
        message["channel_id"] = Events.ChannelId;
        message["type"] = 19;
        message["message_reference"] = new JsonObject { ["message_id"] = botMessageId, ["channel_id"] = Events.ChannelId };
        message["referenced_message"] = new JsonObject
        {
            ["id"] = botMessageId,
            ["channel_id"] = Events.ChannelId,
            ["content"] = "an answer",
            ["type"] = 19,
            ["author"] = new JsonObject { ["id"] = Events.BotUserId, ["username"] = "CaseBot", ["bot"] = true },
        };
        return message;
    }

    private static FakeResponse Created(string id)
    {
        var body = Fixture.Object("rest/message_object_example.json");
        body["id"] = id;
        return new FakeResponse(200, body.ToJsonString());
    }
}
