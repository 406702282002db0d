namespace CaseBot.Discord.Rest;

/// <summary>
/// One REST call. <see cref="Template"/> is what logs show: paths can hold interaction tokens, so they are
/// never logged. <see cref="MajorParameter"/> splits rate-limit buckets the way Discord does (channel, guild,
/// webhook). Interaction callbacks and webhook edits authenticate by the token in the URL, not the bot token,
/// and callbacks are exempt from the global limit.
/// </summary>
internal sealed record DiscordRoute(
    HttpMethod Method, string Template, string Path, string MajorParameter, bool UsesBotToken = true, bool GlobalExempt = false)
{
    /// <summary>Identifies the route (not the bucket) for learning which bucket hash Discord assigns it.</summary>
    public string RouteKey => $"{Method.Method} {Template}";

    public override string ToString() => $"{Method.Method} {Template}";

    public static DiscordRoute GetGatewayBot() =>
        new(HttpMethod.Get, "/gateway/bot", "gateway/bot", "");

    public static DiscordRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "/channels/{channel_id}/messages", $"channels/{channelId}/messages", channelId);

    public static DiscordRoute BulkOverwriteGlobalCommands(string applicationId) =>
        new(HttpMethod.Put, "/applications/{application_id}/commands", $"applications/{applicationId}/commands", applicationId);

    public static DiscordRoute BulkOverwriteGuildCommands(string applicationId, string guildId) =>
        new(HttpMethod.Put, "/applications/{application_id}/guilds/{guild_id}/commands",
            $"applications/{applicationId}/guilds/{guildId}/commands", guildId);

    public static DiscordRoute InteractionCallback(string interactionId, string interactionToken) =>
        new(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback",
            $"interactions/{interactionId}/{Uri.EscapeDataString(interactionToken)}/callback", interactionId,
            UsesBotToken: false, GlobalExempt: true);

    public static DiscordRoute EditOriginalResponse(string applicationId, string interactionToken) =>
        new(HttpMethod.Patch, "/webhooks/{application_id}/{interaction_token}/messages/@original",
            $"webhooks/{applicationId}/{Uri.EscapeDataString(interactionToken)}/messages/@original",
            applicationId + "/" + interactionToken, UsesBotToken: false);
}
