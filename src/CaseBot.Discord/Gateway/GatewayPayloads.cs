using System.Text.Json.Nodes;
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

/// <summary>Builds the client-sent payloads. They carry the token: never log them.</summary>
internal static class GatewayPayloads
{
    public static GatewayIntents Intents(DiscordOptions options) =>
        GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages
        | (options.MessageContentIntent ? GatewayIntents.MessageContent : 0);

    public static string Heartbeat(long? lastSequence) =>
        new JsonObject { ["op"] = GatewayOp.Heartbeat, ["d"] = lastSequence }.ToJsonString();

    public static string Identify(DiscordOptions options)
    {
        var d = new JsonObject
        {
            ["token"] = options.Token,
            ["intents"] = (int)Intents(options),
            ["properties"] = new JsonObject
            {
                ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(),
                ["browser"] = "casebot",
                ["device"] = "casebot",
            },
        };
        if (options.ShardCount > 1)
            d["shard"] = new JsonArray(options.ShardId, options.ShardCount);
        return new JsonObject { ["op"] = GatewayOp.Identify, ["d"] = d }.ToJsonString();
    }

    public static string Resume(string token, string sessionId, long? lastSequence) =>
        new JsonObject
        {
            ["op"] = GatewayOp.Resume,
            ["d"] = new JsonObject { ["token"] = token, ["session_id"] = sessionId, ["seq"] = lastSequence },
        }.ToJsonString();
}
