using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CaseBot.Discord.Gateway;

internal sealed record DiscordUser(string? Id, string? Username, bool? Bot);

internal sealed record DiscordMember(DiscordUser? User, string? Permissions);

internal sealed record MessageReference(string? MessageId);

/// <summary>A MESSAGE_CREATE, as far as CaseBot reads it.</summary>
internal sealed record DiscordMessage(
    string? Id,
    string? ChannelId,
    string? GuildId,
    DiscordUser? Author,
    string? Content,
    int? Type,
    string? WebhookId,
    DiscordUser[]? Mentions,
    MessageReference? MessageReference,
    DiscordMessage? ReferencedMessage = null);

/// <summary>An application command option; <see cref="Value"/> is a string, number or boolean.</summary>
internal sealed record CommandOption(string? Name, JsonElement Value);

/// <summary>An interaction's data: a command's <see cref="Name"/> and options, or a message component's
/// <see cref="CustomId"/> (a button CaseBot put under an answer).</summary>
internal sealed record CommandData(string? Name, CommandOption[]? Options, string? CustomId = null, int? ComponentType = null);

/// <summary>An INTERACTION_CREATE (gateway) or an HTTP interaction, as far as CaseBot reads it.</summary>
internal sealed record DiscordInteraction(
    string? Id,
    int Type,
    string? Token,
    string? ChannelId,
    string? GuildId,
    DiscordMember? Member,
    DiscordUser? User,
    CommandData? Data);

/// <summary>Checks on the ids and tokens an event carries before they go into a REST path: a snowflake is 1–20 digits,
/// an interaction token a bounded run of visible ASCII. Anything else is a malformed event, skipped with a log line.</summary>
internal static class DiscordIds
{
    public const int MaxTokenLength = 1000;

    public static bool IsSnowflake(string? id) => id is { Length: > 0 and <= 20 } && id.All(char.IsAsciiDigit);

    public static bool IsToken(string? token) => token is { Length: > 0 and <= MaxTokenLength } && token.All(c => c is > ' ' and < '\x7f');
}

/// <summary>Source-generated reading of the events CaseBot handles.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(DiscordInteraction))]
internal sealed partial class DiscordEventJson : JsonSerializerContext
{
    /// <summary>Reads an event's data; null when it is not that event (wrong shape or types), so the caller logs and skips it.</summary>
    public static T? TryRead<T>(JsonElement data, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return data.ValueKind == JsonValueKind.Object ? data.Deserialize(type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
