using System.Text.Json.Nodes;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>The official payloads copied into Fixtures/ (see Fixtures/SOURCES.md).</summary>
internal static class Fixture
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "slack", relative);

    public static string Text(string relative) => File.ReadAllText(Path(relative));

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static JsonObject Json(string relative) => JsonNode.Parse(Text(relative))!.AsObject();

    /// <summary>The app_mention envelope with a question and fresh ids.</summary>
    public static JsonObject Mention(string envelopeId, string eventId, string question, string ts = "1610241741.000200")
    {
        var env = Json("socket_mode/events_api_app_mention_envelope.json");
        env["envelope_id"] = envelopeId;
        var payload = env["payload"]!.AsObject();
        payload["event_id"] = eventId;
        var ev = payload["event"]!.AsObject();
        ev["text"] = "<@U111> " + question;
        ev["ts"] = ts;
        ev["event_ts"] = ts;
        return env;
    }

    /// <summary>The message envelope turned into a DM (no licensed message.im sample exists; see SOURCES.md).</summary>
    public static JsonObject DirectMessage(string envelopeId, string eventId, string text, string channel = "D111", string user = "U222")
    {
        var env = Json("socket_mode/events_api_message_channel_envelope.json");
        env["envelope_id"] = envelopeId;
        var payload = env["payload"]!.AsObject();
        payload["event_id"] = eventId;
        payload["event_context"] = "1-message-T111-" + channel;
        var ev = payload["event"]!.AsObject();
        ev["text"] = text;
        ev["channel"] = channel;
        ev["channel_type"] = "im";
        ev["user"] = user;
        return env;
    }

    /// <param name="responseUrl">The command's response_url; null removes the fixture's (real hooks.slack.com) one.</param>
    public static JsonObject Slash(string envelopeId, string text, string user = "U111", string channel = "C111", string? responseUrl = null)
    {
        var env = Json("socket_mode/slash_commands_envelope.json");
        env["envelope_id"] = envelopeId;
        var payload = env["payload"]!.AsObject();
        payload["command"] = "/casebot";
        payload["text"] = text;
        payload["user_id"] = user;
        payload["channel_id"] = channel;
        if (responseUrl is null) payload.Remove("response_url");
        else payload["response_url"] = responseUrl;
        return env;
    }

    /// <summary>A redelivery of an envelope: new envelope id, same event, <c>retry_attempt</c> set.</summary>
    public static JsonObject Redelivery(JsonObject envelope, string newEnvelopeId, int attempt = 1)
    {
        var copy = envelope.DeepClone().AsObject();
        copy["envelope_id"] = newEnvelopeId;
        copy["retry_attempt"] = attempt;
        copy["retry_reason"] = "timeout";
        return copy;
    }

    /// <summary>A disconnect message; only the too_many_websockets one exists as a fixture, the reason is swapped.</summary>
    public static JsonObject Disconnect(string reason)
    {
        var d = Json("socket_mode/disconnect_too_many_websockets.json");
        d["reason"] = reason;
        return d;
    }
}
