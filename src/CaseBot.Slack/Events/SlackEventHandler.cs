using CaseBot.Adapters;
using CaseBot.Slack.Formatting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.Events;

/// <summary>
/// Routes an Events API <c>event_callback</c> (from Socket Mode or HTTP): <c>app_mention</c> → threaded reply,
/// <c>message</c> in a DM → answer in the DM, <c>message</c> in a thread CaseBot answered → a follow-up, answered in
/// the thread without a new mention (read with the thread's previous question). Ignores bots (any <c>bot_id</c>),
/// edited/deleted/system messages (any <c>subtype</c>), CaseBot itself, other channel messages, messages that
/// mention CaseBot (they also arrive as <c>app_mention</c>) and redeliveries of an <c>event_id</c> already handled.
/// </summary>
internal sealed class SlackEventHandler(
    SlackResponder responder,
    SlackIdentity identity,
    SlackEventDedupe dedupe,
    ILogger<SlackEventHandler> log)
{
    public async Task HandleAsync(EventEnvelope payload, CancellationToken ct)
    {
        if (payload.Type != "event_callback" || payload.Event is not { } ev)
        {
            log.LogDebug("Slack payload of type {Type} ignored", payload.Type);
            return;
        }

        if (!string.IsNullOrEmpty(payload.EventId) && !dedupe.FirstTime(payload.EventId))
        {
            log.LogInformation("Slack event {EventId} redelivered; already handled", payload.EventId);
            return;
        }

        var skip = ev.Type is not ("app_mention" or "message") ? "not a mention or message"
            : IsFromBotOrSystem(ev) ? "from a bot, CaseBot or the system (subtype)"
            : string.IsNullOrEmpty(ev.Channel) || string.IsNullOrEmpty(ev.User) ? "no channel or user"
            : null;
        if (skip is not null || ev is not { Channel: { } channel, User: { } user })
        {
            log.LogDebug("Slack event {EventId} ignored: {Why}", payload.EventId, skip);
            return;
        }

        var question = SlackText.ToQuestion(ev.Text);
        if (ev.Type == "app_mention")
        {
            // Reply in the thread the mention started, or in its existing thread.
            var threadTs = NonEmpty(ev.ThreadTs) ?? ev.Ts;
            await responder.AnswerAsync(question, new SlackResponder.Target(channel, user, threadTs, IsDirect: false, ShowAsker: false, QuestionId: payload.EventId), ct);
        }
        else if (ev.ChannelType == "im")
        {
            await responder.AnswerAsync(question, new SlackResponder.Target(channel, user, NonEmpty(ev.ThreadTs), IsDirect: true, ShowAsker: false, QuestionId: payload.EventId), ct);
        }
        else if (NonEmpty(ev.ThreadTs) is { } thread && !MentionsBot(ev.Text) && responder.IsConversation(channel, thread))
        {
            await responder.AnswerAsync(question, new SlackResponder.Target(channel, user, thread, IsDirect: false, ShowAsker: false, QuestionId: payload.EventId), ct);
        }
        else
        {
            log.LogDebug("Slack event {EventId} ignored: a channel message CaseBot does not answer (not in its threads, or a mention, answered as app_mention)", payload.EventId);
        }
    }

    /// <summary>A message that mentions CaseBot also arrives as <c>app_mention</c> (another event id): answered there.</summary>
    private bool MentionsBot(string? text) =>
        identity.BotUserId is { } id && text is not null && text.Contains($"<@{id}", StringComparison.Ordinal);

    private bool IsFromBotOrSystem(SlackEvent ev) =>
        !string.IsNullOrEmpty(ev.BotId) || !string.IsNullOrEmpty(ev.Subtype) || (ev.User is not null && ev.User == identity.BotUserId);

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>Slack's <see cref="EventDedupe"/>: event ids kept 15 minutes, past Slack's last HTTP retry.</summary>
internal sealed class SlackEventDedupe(TimeProvider time) : EventDedupe(time, TimeSpan.FromMinutes(15));
