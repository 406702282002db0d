using System.Text.Json.Nodes;
using CaseBot.Core.Feedback;

namespace CaseBot.Discord.Formatting;

/// <summary>Message bodies for every send path. Each one carries <c>allowed_mentions: {"parse": []}</c>: regular
/// messages would otherwise ping users, roles and @everyone, interactions users.</summary>
internal static class DiscordMessages
{
    public const int FlagSuppressEmbeds = 1 << 2;
    public const int FlagEphemeral = 1 << 6;

    public static JsonObject NoMentions() => new() { ["parse"] = new JsonArray() };

    public static JsonObject Message(string content, bool ephemeral = false) => new()
    {
        ["content"] = content,
        ["allowed_mentions"] = NoMentions(),
        ["flags"] = FlagSuppressEmbeds | (ephemeral ? FlagEphemeral : 0),
    };

    /// <summary>A reply to a channel message: threads under it without pinging its author.</summary>
    public static JsonObject Reply(string content, string messageId, string channelId, string? guildId)
    {
        var body = Message(content);
        var reference = new JsonObject { ["message_id"] = messageId, ["channel_id"] = channelId, ["fail_if_not_exists"] = false };
        if (guildId is not null) reference["guild_id"] = guildId;
        body["message_reference"] = reference;
        return body;
    }

    /// <summary>Interaction callback type 4: the answer itself.</summary>
    public static JsonObject ChannelMessage(string content, bool ephemeral = false) =>
        new() { ["type"] = 4, ["data"] = Message(content, ephemeral) };

    /// <summary>Interaction callback type 5: "thinking…", edited later. Only the ephemeral flag is allowed here.</summary>
    public static JsonObject Deferred(bool ephemeral = false) =>
        ephemeral ? new JsonObject { ["type"] = 5, ["data"] = new JsonObject { ["flags"] = FlagEphemeral } } : new JsonObject { ["type"] = 5 };

    /// <summary>Message components under an answer: 👍, 👎 and "Why this answer?" buttons whose custom ids carry
    /// the answer's key (<see cref="FeedbackButtons"/>).</summary>
    public static JsonArray FeedbackComponents(string answerKey) =>
    [
        new JsonObject
        {
            ["type"] = 1, // action row
            ["components"] = new JsonArray(
                Button(FeedbackButtons.Id(FeedbackAction.Up, answerKey), "👍", null),
                Button(FeedbackButtons.Id(FeedbackAction.Down, answerKey), "👎", null),
                Button(FeedbackButtons.Id(FeedbackAction.Why, answerKey), null, "Why this answer?")),
        },
    ];

    private static JsonObject Button(string customId, string? emoji, string? label)
    {
        var button = new JsonObject { ["type"] = 2, ["style"] = 2, ["custom_id"] = customId }; // secondary
        if (emoji is not null) button["emoji"] = new JsonObject { ["name"] = emoji };
        if (label is not null) button["label"] = label;
        return button;
    }

    /// <summary>Adds the feedback buttons to a message body (or an interaction's data) when there is an answer.</summary>
    public static JsonObject WithFeedback(this JsonObject body, string? answerKey)
    {
        if (answerKey is not null) body["components"] = FeedbackComponents(answerKey);
        return body;
    }

    public static JsonObject Pong() => new() { ["type"] = 1 };

    /// <summary>Body of the edit of a deferred response (flags other than suppress-embeds cannot change here).</summary>
    public static JsonObject Edit(string content) => new()
    {
        ["content"] = content,
        ["allowed_mentions"] = NoMentions(),
    };
}
