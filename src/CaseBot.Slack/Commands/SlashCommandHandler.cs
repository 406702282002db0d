using System.Text.Json.Nodes;
using CaseBot.Core;
using CaseBot.Slack.Events;
using CaseBot.Slack.Formatting;
using CaseBot.Slack.Options;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Commands;

/// <summary>
/// <c>/casebot help</c>, <c>/casebot reindex</c>, <c>/casebot &lt;question&gt;</c>. Split in two so neither transport
/// waits on the engine before acknowledging: <see cref="Handle"/> is instant and gives what goes in the ack / HTTP
/// response (help, refusals); the follow-up (answering, reindexing) runs afterwards on the work queue.
/// </summary>
internal sealed class SlashCommandHandler(
    ICaseBot bot,
    SlackResponder responder,
    SlackWebApiClient api,
    IOptions<SlackOptions> options,
    ILogger<SlashCommandHandler> log)
{
    public const string BusyText = "I'm busy right now: please ask again in a moment.";

    public sealed record Outcome(JsonObject? Response, Func<CancellationToken, Task>? FollowUp);

    public Outcome Handle(SlashCommand cmd)
    {
        var text = cmd.Text.Trim();
        var to = new SlackResponder.Target(cmd.ChannelId, cmd.UserId, null, IsDirect: false, ShowAsker: true, cmd.ResponseUrl);

        if (text.Length == 0 || text.Equals("help", StringComparison.OrdinalIgnoreCase))
            return new Outcome(Ephemeral(responder.UsageText + " Moderators can run `/casebot reindex`."), null);

        if (text.Equals("reindex", StringComparison.OrdinalIgnoreCase))
        {
            if (!options.Value.IsModerator(cmd.UserId))
            {
                log.LogInformation("Slack reindex refused for {User}: not a moderator", cmd.UserId);
                return new Outcome(Ephemeral("Only CaseBot moderators can reindex."), null);
            }
            return new Outcome(Ephemeral("Reindexing the case documents; I'll tell you here when it's done."),
                ct => ReindexAsync(to, ct));
        }

        // No response body: the answer follows as a normal channel message from the queue.
        return new Outcome(null, ct => responder.AnswerAsync(text, to, ct));
    }

    private async Task ReindexAsync(SlackResponder.Target to, CancellationToken ct)
    {
        // The engine counts the reindex in the metrics (whoever asked for it): counting here too would double it.
        var result = await bot.ReindexAsync($"slack:{to.User}", ct);
        log.LogInformation("Slack reindex by {User}: succeeded={Succeeded}", to.User, result.Succeeded);
        await api.PostEphemeralAsync(to.Channel, to.User, SlackAnswerFormatter.Plain(result.Message), null, ct);
    }

    /// <summary>Sends a prepared response as an ephemeral message (when it could not ride on the ack).</summary>
    public Task SendEphemeralAsync(SlashCommand cmd, JsonObject response, CancellationToken ct)
    {
        var text = response["text"]?.GetValue<string>() ?? "";
        var blocks = response["blocks"] as JsonArray;
        return api.PostEphemeralAsync(cmd.ChannelId, cmd.UserId, new SlackMessage(text, blocks), null, ct);
    }

    /// <summary>A slash-command response only the invoking user sees.</summary>
    internal static JsonObject Ephemeral(string text)
    {
        var o = SlackAnswerFormatter.Plain(text).ToJson();
        o["response_type"] = "ephemeral";
        return o;
    }
}
