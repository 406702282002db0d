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
/// Answers <c>MESSAGE_CREATE</c> events that are for the bot: a mention in a channel, or any message in a DM.
/// Messages from bots (CaseBot included) and webhooks are ignored, so two bots can never talk in a loop. The
/// answer is a reply (message_reference) that pings nobody.
/// </summary>
internal sealed partial class MessageHandler(QuestionPipeline pipeline, IOptions<BotProfileOptions> profile, DiscordRestClient rest, ILogger<MessageHandler> logger)
{
    private const int DefaultType = 0, ReplyType = 19;

    /// <summary>The question in <paramref name="message"/> for the bot, "" when it is for the bot but empty, or null
    /// when the bot should stay silent.</summary>
    internal static string? QuestionFor(DiscordMessage message, string? botUserId)
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
        if (!isDm && !mentionsBot) return null;

        var question = content.Replace($"<@{botUserId}>", " ", StringComparison.Ordinal)
            .Replace($"<@!{botUserId}>", " ", StringComparison.Ordinal);
        return Whitespace().Replace(question, " ").Trim();
    }

    public async Task HandleAsync(DiscordMessage message, string? botUserId, CancellationToken ct)
    {
        var question = QuestionFor(message, botUserId);
        if (question is null || message is not { Id: { } messageId, ChannelId: { } channelId, Author.Id: { } userId }) return;

        var result = await pipeline.AskAsync(question,
            new AskContext(DiscordPlatform.Name, channelId, userId, message.MessageReference?.MessageId), ct).ConfigureAwait(false);
        var content = DiscordAnswerFormatter.Render(result, profile.Value);
        var guildId = message.GuildId;

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
