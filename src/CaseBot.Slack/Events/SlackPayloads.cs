using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseBot.Slack.Events;

/// <summary>A Socket Mode message: <c>hello</c>, <c>disconnect</c> or an envelope (<c>events_api</c>,
/// <c>slash_commands</c>, …) whose <see cref="Payload"/> is read into the record of its type.</summary>
internal sealed record SocketModeEnvelope(
    string? Type,
    string? EnvelopeId,
    JsonElement Payload,
    bool AcceptsResponsePayload,
    string? Reason,
    int? NumConnections);

/// <summary>An Events API request body, over Socket Mode or HTTP: <c>event_callback</c> (with its
/// <see cref="Event"/>) or <c>url_verification</c> (with its <see cref="Challenge"/>).</summary>
internal sealed record EventEnvelope(string? Type, string? EventId, SlackEvent? Event, string? Challenge);

/// <summary>The fields of an <c>app_mention</c> or <c>message</c> event CaseBot reads.</summary>
internal sealed record SlackEvent(
    string? Type,
    string? Subtype,
    string? Channel,
    string? ChannelType,
    string? User,
    string? BotId,
    string? Text,
    string? Ts,
    string? ThreadTs);

/// <summary>A <c>slash_commands</c> payload.</summary>
internal sealed record SlashCommandPayload(string? Command, string? Text, string? UserId, string? ChannelId, string? ResponseUrl);

/// <summary>An <c>interactive</c> payload of type <c>block_actions</c>: a click on a button CaseBot put under an answer.</summary>
internal sealed record InteractivePayload(string? Type, SlackRef? User, SlackRef? Channel, InteractiveContainer? Container, BlockAction[]? Actions);

internal sealed record SlackRef(string? Id);

/// <summary>Where the clicked message is: its <c>ts</c> and, when it sits in a thread, the thread's.</summary>
internal sealed record InteractiveContainer(string? MessageTs, string? ThreadTs, string? ChannelId);

internal sealed record BlockAction(string? ActionId, string? Value);

/// <summary>Source-generated reading of every Slack payload: no reflection, no <c>GetProperty</c> chains.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SocketModeEnvelope))]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(SlashCommandPayload))]
[JsonSerializable(typeof(InteractivePayload))]
internal sealed partial class SlackJson : JsonSerializerContext
{
    /// <summary>Reads <paramref name="json"/> as <typeparamref name="T"/>; null when it is not that payload (wrong
    /// shape or types), so the caller logs and skips it.</summary>
    public static T? TryRead<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static T? TryRead<T>(JsonElement json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return json.ValueKind == JsonValueKind.Object ? json.Deserialize(type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
