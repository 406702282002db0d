using System.Text.Json;
using System.Text.RegularExpressions;
using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Discord.Formatting;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Messages;

/// <summary>
/// Answers <c>MESSAGE_CREATE</c> events that are for the bot: a mention in a channel, any message in a DM, or a
/// reply to one of the bot's answers (a follow-up: no mention needed, read with the reply chain's previous question).
/// Messages from bots (CaseBot included) and webhooks are ignored, so two bots can never talk in a loop. The
/// answer is a reply (message_reference) that pings nobody.
/// </summary>
internal sealed partial class MessageHandler(
    QuestionPipeline pipeline,
    IOptions<BotProfileOptions> profile,
    DiscordRestClient rest,
    ReplyChains chains,
    ILogger<MessageHandler> logger)
{
    private const int DefaultType = 0, ReplyType = 19;

    /// <summary>The question in <paramref name="message"/> for the bot, "" when it is for the bot but empty, or null
    /// when the bot should stay silent.</summary>
    /// <param name="replyToBot">The message replies to one of the bot's messages.</param>
    internal static string? QuestionFor(DiscordMessage message, string? botUserId, bool replyToBot = false)
    {
        if (botUserId is null) return null; // not READY yet: cannot tell mentions or our own messages apart
        if (message.WebhookId is not null || message.Author is not { } author) return null;
        if (author.Bot == true || author.Id == botUserId) return null;
        if ((message.Type ?? DefaultType) is not (DefaultType or ReplyType)) return null;

        var content = message.Content ?? "";
        var isDm = message.GuildId is null;
        var mentionsBot = content.Contains($"<@{botUserId}>", StringComparison.Ordinal)
                          || content.Contains($"<@!{botUserId}>", StringComparison.Ordinal)
                          || (message.Mentions ?? []).Any(m => m?.Id == botUserId);
        if (!isDm && !mentionsBot && !replyToBot) return null;
        // Without the MESSAGE_CONTENT intent a reply that does not ping the bot arrives empty: nothing to answer.
        if (!isDm && !mentionsBot && string.IsNullOrWhiteSpace(content)) return null;

        var question = content.Replace($"<@{botUserId}>", " ", StringComparison.Ordinal)
            .Replace($"<@!{botUserId}>", " ", StringComparison.Ordinal);
        return Whitespace().Replace(question, " ").Trim();
    }

    public async Task HandleAsync(DiscordMessage message, string? botUserId, CancellationToken ct)
    {
        var repliedTo = message.MessageReference?.MessageId;
        var replyToBot = repliedTo is not null
                         && (chains.Contains(repliedTo) || (botUserId is not null && message.ReferencedMessage?.Author?.Id == botUserId));
        var question = QuestionFor(message, botUserId, replyToBot);
        if (question is null)
        {
            logger.LogDebug("Ignoring message {MessageId}: not for the bot (no mention, DM or reply to it), or from a bot or webhook.", message.Id);
            return;
        }
        if (message is not { Id: { } messageId, ChannelId: { } channelId, Author.Id: { } userId }
            || !DiscordIds.IsSnowflake(messageId) || !DiscordIds.IsSnowflake(channelId))
        {
            logger.LogWarning("Skipping a message without a usable message, channel or author id to answer it with.");
            return;
        }

        // A reply to the bot continues that chain's conversation; anything else starts one at this message.
        var thread = replyToBot ? chains.KeyOf(repliedTo!) ?? ReplyChains.NewKey(channelId, repliedTo!) : ReplyChains.NewKey(channelId, messageId);
        var result = await pipeline.AskAsync(question, new AskContext(DiscordPlatform.Name, channelId, userId, thread), ct).ConfigureAwait(false);
        var content = DiscordAnswerFormatter.Render(result, profile.Value);
        var guildId = message.GuildId;

        try
        {
            var sent = await rest.SendAsync(DiscordRoute.CreateMessage(channelId), DiscordMessages.Reply(content, messageId, channelId, guildId).WithFeedback(DiscordAnswerFormatter.FeedbackKey(result)), ct)
                .ConfigureAwait(false);
            if (sent is { ValueKind: JsonValueKind.Object } created && created.TryGetProperty("id", out var id) && id.GetString() is { } botMessageId)
            {
                chains.Add(botMessageId, thread);
                logger.LogDebug("Answer {BotMessageId} continues conversation {Thread}.", botMessageId, thread);
            }
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
