using System.Text.Json;
using System.Text.RegularExpressions;
using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Discord.Formatting;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Messages;

/// <summary>
/// Answers <c>MESSAGE_CREATE</c> events that are for the bot: a mention in a channel, or any message in a DM.
/// Messages from bots (CaseBot included) and webhooks are ignored, so two bots can never talk in a loop. The
/// answer is a reply (message_reference) that pings nobody.
/// </summary>
internal sealed partial class MessageHandler(QuestionPipeline pipeline, IOptions<BotProfileOptions> profile, DiscordRestClient rest, ILogger<MessageHandler> logger)
{
    private const int DefaultType = 0, ReplyType = 19;

    /// <summary>The question in <paramref name="message"/> for the bot, "" when it is for the bot but empty, or null
    /// when the bot should stay silent.</summary>
    internal static string? QuestionFor(JsonElement message, string? botUserId)
    {
        if (botUserId is null) return null; // not READY yet: cannot tell mentions or our own messages apart
        if (message.TryGetProperty("webhook_id", out _)) return null;
        if (!message.TryGetProperty("author", out var author)) return null;
        if (author.TryGetProperty("bot", out var bot) && bot.ValueKind == JsonValueKind.True) return null;
        if (author.TryGetProperty("id", out var authorId) && authorId.GetString() == botUserId) return null;
        var type = message.TryGetProperty("type", out var t) && t.TryGetInt32(out var ti) ? ti : DefaultType;
        if (type is not (DefaultType or ReplyType)) return null;

        var content = message.TryGetProperty("content", out var c) ? c.GetString() ?? "" : "";
        var isDm = !message.TryGetProperty("guild_id", out var g) || g.ValueKind == JsonValueKind.Null;
        var mentionsBot = content.Contains($"<@{botUserId}>", StringComparison.Ordinal)
                          || content.Contains($"<@!{botUserId}>", StringComparison.Ordinal)
                          || (message.TryGetProperty("mentions", out var mentions) && mentions.ValueKind == JsonValueKind.Array
                              && mentions.EnumerateArray().Any(m => m.TryGetProperty("id", out var id) && id.GetString() == botUserId));
        if (!isDm && !mentionsBot) return null;

        var question = content.Replace($"<@{botUserId}>", " ", StringComparison.Ordinal)
            .Replace($"<@!{botUserId}>", " ", StringComparison.Ordinal);
        return Whitespace().Replace(question, " ").Trim();
    }

    public async Task HandleAsync(JsonElement message, string? botUserId, CancellationToken ct)
    {
        var question = QuestionFor(message, botUserId);
        if (question is null) return;

        var messageId = message.GetProperty("id").GetString()!;
        var channelId = message.GetProperty("channel_id").GetString()!;
        var guildId = message.TryGetProperty("guild_id", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
        var userId = message.GetProperty("author").GetProperty("id").GetString()!;

        var threadKey = message.TryGetProperty("message_reference", out var reference) && reference.ValueKind == JsonValueKind.Object
                        && reference.TryGetProperty("message_id", out var referenced) ? referenced.GetString() : null;
        var result = await pipeline.AskAsync(question, new AskContext(DiscordPlatform.Name, channelId, userId, threadKey), ct)
            .ConfigureAwait(false);
        var content = DiscordAnswerFormatter.Render(result, profile.Value);

        try
        {
            await rest.SendAsync(DiscordRoute.CreateMessage(channelId), DiscordMessages.Reply(content, messageId, channelId, guildId), ct)
                .ConfigureAwait(false);
        }
        catch (DiscordRestException ex)
        {
            // 403 here usually means the bot lacks Send Messages / Read Message History in that channel.
            logger.LogWarning("Could not reply in channel {ChannelId}: {Error}", channelId, ex.Message);
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
