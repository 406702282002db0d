using System.Text.Json.Nodes;

namespace CaseBot.Slack.WebApi;

/// <summary>A message to send: Block Kit blocks plus the plain-text fallback Slack shows in notifications.</summary>
public sealed record SlackMessage(string Text, JsonArray? Blocks = null)
{
    /// <summary>Fields for chat.postMessage / chat.postEphemeral / a slash-command response (a fresh copy each time).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["text"] = Text };
        if (Blocks is { Count: > 0 }) o["blocks"] = Blocks.DeepClone();
        return o;
    }
}
