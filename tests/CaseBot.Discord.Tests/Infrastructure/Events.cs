using System.Text.Json.Nodes;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>Gateway frames built from the official fixtures (wrapped or with ids and content edited in memory).
/// READY has no published sample, so it is built from the documented fields.</summary>
internal static class Events
{
    public const string ApplicationId = "775799577604522054";
    public const string BotUserId = "999888777666555444";
    public const string UserId = "53908099506183680"; // the author in message_object_example.json
    public const string GuildId = "290926798626357999";
    public const string ChannelId = "290926798999357250";
    public const string DmChannelId = "319674150115610528";

    public static JsonObject Hello() => Fixture.Object("gateway/op10_hello.json");

    public static JsonObject Dispatch(string type, long sequence, JsonNode data)
    {
        var frame = Fixture.Object("gateway/op0_dispatch_shape.json");
        frame["t"] = type;
        frame["s"] = sequence;
        frame["d"] = data;
        return frame;
    }

    public static JsonObject Ready(long sequence, string resumeUrl, string sessionId = "session-1") => Dispatch("READY", sequence, new JsonObject
    {
        ["v"] = 10,
        ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = "CaseBot", ["discriminator"] = "0", ["bot"] = true },
        ["guilds"] = new JsonArray(),
        ["session_id"] = sessionId,
        ["resume_gateway_url"] = resumeUrl,
        ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
    });

    public static JsonObject Resumed(long sequence) => Dispatch("RESUMED", sequence, new JsonObject());

    /// <summary>A channel message mentioning the bot (mentions are delivered with content, no privileged intent).</summary>
    public static JsonObject Mention(long sequence, string messageId, string question, string? authorId = null, bool authorIsBot = false) =>
        Dispatch("MESSAGE_CREATE", sequence, MentionMessage(messageId, question, GuildId, ChannelId, authorId, authorIsBot));

    /// <summary>The message object (the dispatch's <c>d</c>) of a mention in <paramref name="guildId"/>'s channel.</summary>
    public static JsonObject MentionMessage(string messageId, string question, string guildId, string channelId, string? authorId = null,
        bool authorIsBot = false)
    {
        var message = Message(messageId, $"<@{BotUserId}> {question}", authorId, authorIsBot);
        message["guild_id"] = guildId;
        message["channel_id"] = channelId;
        message["mentions"] = new JsonArray(new JsonObject { ["id"] = BotUserId, ["username"] = "CaseBot", ["bot"] = true });
        return message;
    }

    /// <summary>A channel message that does not mention the bot.</summary>
    public static JsonObject ChannelChatter(long sequence, string messageId, string content)
    {
        var message = Message(messageId, content, null, false);
        message["guild_id"] = GuildId;
        return Dispatch("MESSAGE_CREATE", sequence, message);
    }

    public static JsonObject DirectMessage(long sequence, string messageId, string content) =>
        Dispatch("MESSAGE_CREATE", sequence, DirectMessageMessage(messageId, content));

    /// <summary>The message object of a DM (no <c>guild_id</c>).</summary>
    public static JsonObject DirectMessageMessage(string messageId, string content)
    {
        var message = Message(messageId, content, null, false);
        message["channel_id"] = DmChannelId;
        return message;
    }

    private static JsonObject Message(string messageId, string content, string? authorId, bool authorIsBot)
    {
        var message = Fixture.Object("rest/message_object_example.json");
        message.Remove("reactions");
        message["id"] = messageId;
        message["content"] = content;
        if (authorId is not null) message["author"]!["id"] = authorId;
        if (authorIsBot) message["author"]!["bot"] = true;
        return message;
    }

    /// <summary>The docs' slash-command interaction, turned into a CaseBot command.</summary>
    public static JsonObject Command(string name, string? optionName = null, string? value = null, string id = "786008729715212338",
        string token = "A_UNIQUE_TOKEN", string? permissions = null)
    {
        var interaction = Fixture.Object("interactions/interaction_slash_command_string_option.json");
        interaction["id"] = id;
        interaction["token"] = token;
        interaction["application_id"] = ApplicationId;
        var data = interaction["data"]!.AsObject();
        data["name"] = name;
        if (optionName is null) data.Remove("options");
        else data["options"] = new JsonArray(new JsonObject { ["type"] = 3, ["name"] = optionName, ["value"] = value });
        if (permissions is not null) interaction["member"]!["permissions"] = permissions;
        return interaction;
    }

    public static JsonObject Interaction(long sequence, JsonObject interaction) => Dispatch("INTERACTION_CREATE", sequence, interaction);
}
