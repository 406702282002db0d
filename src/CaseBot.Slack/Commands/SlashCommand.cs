using System.Text.Json;
using System.Web;
using CaseBot.Slack.Events;

namespace CaseBot.Slack.Commands;

/// <summary>The fields of a slash-command invocation CaseBot uses; the rest of Slack's payload is ignored.</summary>
public sealed record SlashCommand(string Command, string Text, string UserId, string ChannelId, string? ResponseUrl = null)
{
    /// <summary>From a Socket Mode <c>slash_commands</c> envelope payload (JSON).</summary>
    public static SlashCommand? FromJson(JsonElement p) =>
        SlackJson.TryRead(p, SlackJson.Default.SlashCommandPayload) is { } c ? Create(c.Command, c.Text, c.UserId, c.ChannelId, c.ResponseUrl) : null;

    /// <summary>From an HTTP form post (<c>application/x-www-form-urlencoded</c>).</summary>
    public static SlashCommand? FromForm(string body)
    {
        var form = HttpUtility.ParseQueryString(body);
        return Create(form["command"], form["text"], form["user_id"], form["channel_id"], form["response_url"]);
    }

    private static SlashCommand? Create(string? command, string? text, string? user, string? channel, string? responseUrl) =>
        string.IsNullOrEmpty(command) || string.IsNullOrEmpty(user) || string.IsNullOrEmpty(channel)
            ? null
            : new SlashCommand(command, text ?? "", user, channel, string.IsNullOrEmpty(responseUrl) ? null : responseUrl);
}
