using System.Text.Json;
using CaseBot.Adapters;
using CaseBot.Slack.Formatting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.Events;

/// <summary>
/// Routes an Events API <c>event_callback</c> (from Socket Mode or HTTP): <c>app_mention</c> → threaded reply,
/// <c>message</c> in a DM → answer in the DM. Ignores bots (any <c>bot_id</c>), edited/deleted/system messages (any
/// <c>subtype</c>), CaseBot itself, channel messages (mentions already arrive as <c>app_mention</c>) and
/// redeliveries of an <c>event_id</c> already handled.
/// </summary>
internal sealed class SlackEventHandler(
    SlackResponder responder,
    SlackIdentity identity,
    SlackEventDedupe dedupe,
    ILogger<SlackEventHandler> log)
{
    public async Task HandleAsync(JsonElement payload, CancellationToken ct)
    {
        if (Str(payload, "type") != "event_callback" || !payload.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
        {
            log.LogDebug("Slack payload of type {Type} ignored", Str(payload, "type"));
            return;
        }

        var eventId = Str(payload, "event_id");
        if (!string.IsNullOrEmpty(eventId) && !dedupe.FirstTime(eventId))
        {
            log.LogInformation("Slack event {EventId} redelivered; already handled", eventId);
            return;
        }

        var type = Str(ev, "type");
        if (type is not ("app_mention" or "message")) return;
        if (IsFromBotOrSystem(ev)) return;

        var channel = Str(ev, "channel");
        var user = Str(ev, "user");
        if (string.IsNullOrEmpty(channel) || string.IsNullOrEmpty(user)) return;

        var question = SlackText.ToQuestion(Str(ev, "text"));
        if (type == "app_mention")
        {
            // Reply in the thread the mention started, or in its existing thread.
            var threadTs = NonEmpty(Str(ev, "thread_ts")) ?? Str(ev, "ts");
            await responder.AnswerAsync(question, new SlackResponder.Target(channel, user, threadTs, IsDirect: false, ShowAsker: false), ct);
        }
        else if (Str(ev, "channel_type") == "im")
        {
            await responder.AnswerAsync(question, new SlackResponder.Target(channel, user, NonEmpty(Str(ev, "thread_ts")), IsDirect: true, ShowAsker: false), ct);
        }
    }

    private bool IsFromBotOrSystem(JsonElement ev)
    {
        if (!string.IsNullOrEmpty(Str(ev, "bot_id")) || !string.IsNullOrEmpty(Str(ev, "subtype"))) return true;
        var user = Str(ev, "user");
        return user is not null && user == identity.BotUserId;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    internal static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>Slack's <see cref="EventDedupe"/>: event ids kept 15 minutes, past Slack's last HTTP retry.</summary>
internal sealed class SlackEventDedupe(TimeProvider time) : EventDedupe(time, TimeSpan.FromMinutes(15));
