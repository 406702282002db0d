using CaseBot.Core.Feedback;
using CaseBot.Slack.Formatting;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.Events;

/// <summary>
/// Clicks on the buttons under an answer (<c>block_actions</c>, after the envelope's ack): 👍 / 👎 go to the vote
/// sink (one vote per member per answer; a second click changes it) and "Why this answer?" shows the answer's
/// explanation. Both reply with <c>chat.postEphemeral</c>, so only the clicker sees them.
/// </summary>
internal sealed class SlackFeedbackHandler(
    RecentAnswers recent,
    SlackWebApiClient api,
    ILogger<SlackFeedbackHandler> log,
    IFeedbackSink? votes = null)
{
    public async Task HandleAsync(InteractivePayload payload, CancellationToken ct)
    {
        var channel = payload.Channel?.Id ?? payload.Container?.ChannelId;
        if (payload.Type != "block_actions" || payload.User?.Id is not { } user || channel is null)
        {
            log.LogDebug("Slack interaction of type {Type} ignored: not a click with a user and channel", payload.Type);
            return;
        }
        var thread = payload.Container?.ThreadTs;
        var clicks = 0;
        foreach (var action in payload.Actions ?? [])
        {
            if (action is null || !FeedbackButtons.TryParse(action.ActionId, out var kind, out var key)) continue;
            clicks++;
            var text = kind == FeedbackAction.Why
                ? recent.Find(key) is { } answer ? WhyText.For(answer) : WhyText.Expired
                : await VoteAsync(kind, key, user, channel, ct);
            await api.PostEphemeralAsync(channel, user, SlackAnswerFormatter.Plain(text), thread, ct);
        }
        if (clicks == 0) log.LogDebug("Slack block_actions ignored: none of its actions is a CaseBot button");
    }

    private async Task<string> VoteAsync(FeedbackAction kind, string key, string user, string channel, CancellationToken ct)
    {
        if (votes is null) return "Votes are not recorded here.";
        var value = kind == FeedbackAction.Up ? VoteValue.Up : VoteValue.Down;
        try
        {
            var outcome = await votes.VoteAsync(new VoteCast(SlackWebApiClient.Platform, key, user, value, channel), ct);
            return $"Thanks: your {(value == VoteValue.Up ? "👍" : "👎")} is recorded ({outcome.Up} 👍, {outcome.Down} 👎). Click the other button to change it.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Recording a Slack vote failed.");
            return "Sorry, your vote could not be recorded. Please try again later.";
        }
    }
}
