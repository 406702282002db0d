using System.Text.Json;
using System.Text.RegularExpressions;
using CaseBot.Adapters;
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
/// The bot learns its answer's message id from Discord's reply to Create Message; a member who replies to the answer
/// before that reply was read would otherwise start a new conversation. So a reply to a message id the bot does not
/// know, while answers are being sent in that channel, waits for those sends (at most <see cref="UnknownReplyWait"/>
/// on the clock) before its conversation is chosen.
/// </summary>
internal sealed partial class MessageHandler(
    QuestionPipeline pipeline,
    IOptions<BotProfileOptions> profile,
    DiscordRestClient rest,
    ReplyChains chains,
    TimeProvider time,
    ILogger<MessageHandler> logger)
{
    private const int DefaultType = 0, ReplyType = 19;

    /// <summary>How long a reply to an unknown message id waits for the answers being sent in its channel.</summary>
    internal static readonly TimeSpan UnknownReplyWait = TimeSpan.FromSeconds(3);

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
        var knownChain = repliedTo is null ? null : chains.KeyOf(repliedTo);
        var referencedAuthor = message.ReferencedMessage?.Author?.Id;
        if (repliedTo is not null && knownChain is null && message.ChannelId is { } replyChannel && botUserId is not null
            && (referencedAuthor is null || referencedAuthor == botUserId) && QuestionFor(message, botUserId, replyToBot: true) is not null
            && chains.SendingIn(replyChannel) is > 0 and var sending)
        {
            // Possibly a reply to an answer whose id is still on its way back from Discord: wait for it, bounded.
            logger.LogDebug("Message {MessageId} replies to {RepliedTo}, not known as an answer yet: waiting for {Count} answer(s) being sent in channel {ChannelId}.",
                message.Id, repliedTo, sending, replyChannel);
            WorkDispatcher.YieldSlot(); // waiting on another item's send: give this place to the next question
            knownChain = await chains.KeyOfAsync(replyChannel, repliedTo, UnknownReplyWait, time, ct).ConfigureAwait(false);
            logger.LogDebug(knownChain is null
                ? "Message {MessageId}: {RepliedTo} is still not a known answer."
                : "Message {MessageId}: {RepliedTo} is a known answer now.", message.Id, repliedTo);
        }
        var replyToBot = repliedTo is not null && (knownChain is not null || (botUserId is not null && referencedAuthor == botUserId));
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
        var thread = replyToBot ? knownChain ?? ReplyChains.NewKey(channelId, repliedTo!) : ReplyChains.NewKey(channelId, messageId);
        var result = await pipeline.AskAsync(question, new AskContext(DiscordPlatform.Name, channelId, userId, thread), ct).ConfigureAwait(false);
        var content = DiscordAnswerFormatter.Render(result, profile.Value);
        var guildId = message.GuildId;

        // Until its id is added (or the send failed), a reply to this answer waits for it rather than start anew.
        using var sendingAnswer = chains.BeginSend(channelId);
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
