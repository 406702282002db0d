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
    public async Task Reply_to_an_answer_before_the_bot_read_discords_reply_with_its_id_continues_the_conversation()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        rig.Bot.Answerer = q => q.Contains("contract", StringComparison.OrdinalIgnoreCase)
            ? FakeCaseBot.Cited(q, new Citation("004", FakeCaseBot.BlockedTitle, FakeCaseBot.BlockedQuote))
            : FakeCaseBot.Declined(q, "000");
        var messages = $"/channels/{Events.ChannelId}/messages";
        // Discord creates answer 7001 at once, but the bot reads Discord's reply (which carries the id) only on release.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Fake.RespondOnce(r => r.Path == messages, Created("7001") with { Hold = release.Task });
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "1001", "Tell me about the proposed Palantir contract"));
        await rig.Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path == messages);
        // The member has seen answer 7001 and replies to it within milliseconds.
        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 3, ReplyToBot("1002", "who blocked it?", "7001")));
        // Either the bot waits for its answer's id (the fix), or it has already asked the reply as a new conversation.
        await Wait.UntilAsync(() => rig.Bot.Asks == 2
            || rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Debug, "Message 1002 replies to 7001, not known as an answer yet"));
        release.SetResult();
        await Wait.UntilAsync(() => rig.Replies.Count == 2);
        await rig.StopAsync();

        var asked = rig.Bot.Questions;
        Assert.Equal(2, asked.Count);
        Assert.StartsWith("who blocked it?", asked[1]);
        Assert.Contains("Palantir contract", asked[1]);
        Assert.True(rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Debug, "Answer 7001 continues conversation"));
        Assert.Equal(["1001", "1002"], rig.Replies.Select(r => (string)r.Json!["message_reference"]!["message_id"]!));
        Assert.All(rig.Replies, r => Assert.Contains("[004]", (string)r.Json!["content"]!));
    }

    [Fact]
    public async Task Reply_to_an_unknown_message_waits_no_longer_than_the_bound_for_a_send_that_never_returns()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var messages = $"/channels/{Events.ChannelId}/messages";
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Fake.RespondOnce(r => r.Path == messages, Created("7001") with { Hold = release.Task });
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "1001", "why block it?"));
        await rig.Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path == messages);
        // A reply to a message the bot never sent (7009), while answer 7001's reply from Discord is still held.
        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 3, ReplyToBot("1002", "who blocked it?", "7009")));
        await Wait.UntilAsync(() => rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Debug, "Message 1002 replies to 7009, not known as an answer yet"));
        Assert.Equal(1, rig.Bot.Asks);
        // The bound is on the bot's clock: once it has passed, the reply is answered as the start of its own chain.
        await rig.Clock.AdvanceUntilAsync(() => rig.Bot.Asks == 2, TimeSpan.FromMilliseconds(250));
        Assert.True(rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Debug, "Message 1002: 7009 is still not a known answer"));
        release.SetResult(); // the channel's sends go one at a time: the reply's answer follows 7001's
        await Wait.UntilAsync(() => rig.Replies.Count == 2);
        await rig.StopAsync();

        Assert.Equal(["why block it?", "who blocked it?"], rig.Bot.Questions);
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
