using System.Text.Json;
using System.Text.Json.Serialization;
using CaseBot.Discord.Options;

namespace CaseBot.Discord.Gateway;

/// <summary>Gateway opcodes and intents used here (Discord API v10).</summary>
internal static class GatewayOp
{
    public const int Dispatch = 0, Heartbeat = 1, Identify = 2, Resume = 6, Reconnect = 7, InvalidSession = 9, Hello = 10, HeartbeatAck = 11;
}

[Flags]
internal enum GatewayIntents
{
    Guilds = 1 << 0,
    GuildMessages = 1 << 9,
    DirectMessages = 1 << 12,
    MessageContent = 1 << 15,
}

/// <summary>Any frame Discord sends: <c>op</c>, and for dispatches the sequence <c>s</c> and event name <c>t</c>.
/// <see cref="D"/> is read into the record of its op.</summary>
internal sealed record GatewayFrameIn(int Op, JsonElement D, long? S, string? T);

/// <summary>op 10.</summary>
internal sealed record HelloData(double HeartbeatInterval);

/// <summary>The READY dispatch, as far as CaseBot reads it.</summary>
internal sealed record ReadyData(string SessionId, string ResumeGatewayUrl, GatewayUser User);

internal sealed record GatewayUser(string Id);

/// <summary>GET /gateway/bot.</summary>
internal sealed record GatewayBotInfo(string? Url, SessionStartLimit? SessionStartLimit);

internal sealed record SessionStartLimit(int Remaining, double ResetAfter, int MaxConcurrency);

/// <summary>A frame CaseBot sends: <c>{"op": …, "d": …}</c>.</summary>
internal sealed record GatewayFrameOut<T>(int Op, T D);

internal sealed record IdentifyData(
    string Token,
    int Intents,
    IdentifyProperties Properties,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Shard);

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

internal sealed record ResumeData(string Token, string SessionId, long? Seq);

/// <summary>Source-generated (de)serialisation of every gateway payload: no reflection, no <c>GetProperty</c> chains.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GatewayFrameIn))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(GatewayFrameOut<IdentifyData>))]
[JsonSerializable(typeof(GatewayFrameOut<ResumeData>))]
[JsonSerializable(typeof(GatewayFrameOut<long?>))]
internal sealed partial class GatewayJson : JsonSerializerContext;

/// <summary>Builds the client-sent payloads. They carry the token: never log them.</summary>
internal static class GatewayPayloads
{
    public static GatewayIntents Intents(DiscordOptions options) =>
        GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages
        | (options.MessageContentIntent ? GatewayIntents.MessageContent : 0);

    public static string Heartbeat(long? lastSequence) =>
        JsonSerializer.Serialize(new GatewayFrameOut<long?>(GatewayOp.Heartbeat, lastSequence), GatewayJson.Default.GatewayFrameOutNullableInt64);

    public static string Identify(DiscordOptions options) =>
        JsonSerializer.Serialize(new GatewayFrameOut<IdentifyData>(GatewayOp.Identify, new IdentifyData(
                options.Token!,
                (int)Intents(options),
                new IdentifyProperties(Environment.OSVersion.Platform.ToString().ToLowerInvariant(), "casebot", "casebot"),
                options.ShardCount > 1 ? [options.ShardId, options.ShardCount] : null)),
            GatewayJson.Default.GatewayFrameOutIdentifyData);

    public static string Resume(string token, string sessionId, long? lastSequence) =>
        JsonSerializer.Serialize(new GatewayFrameOut<ResumeData>(GatewayOp.Resume, new ResumeData(token, sessionId, lastSequence)),
            GatewayJson.Default.GatewayFrameOutResumeData);

    /// <summary>Reads a frame; throws <see cref="JsonException"/> when it is not a gateway frame.</summary>
    public static GatewayFrameIn Read(string text) =>
        JsonSerializer.Deserialize(text, GatewayJson.Default.GatewayFrameIn) ?? throw new JsonException("null frame");

    public static T Data<T>(GatewayFrameIn frame, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        frame.D.Deserialize(type) ?? throw new JsonException($"op {frame.Op} without data");
}
