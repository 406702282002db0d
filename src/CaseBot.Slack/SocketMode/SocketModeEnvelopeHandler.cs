using System.Text.Json;
using System.Text.Json.Nodes;
using CaseBot.Slack.Commands;
using CaseBot.Slack.Events;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.SocketMode;

/// <summary>What to put in an envelope's ack, and what work to queue once the ack is sent.</summary>
internal readonly record struct EnvelopeDecision(JsonObject? AckPayload, string What, Func<CancellationToken, Task>? Work);

/// <summary>
/// Decides, instantly and without touching the answer engine, how to acknowledge each Socket Mode envelope and
/// what to do after. Runs on the read loop, so it must never block.
/// </summary>
internal interface ISocketModeEnvelopeHandler
{
    EnvelopeDecision Decide(string type, JsonElement payload, bool acceptsResponsePayload);
}

/// <summary>Handles one envelope type (SlackNet's <c>IEventHandler&lt;T&gt;</c> model): registered in DI, picked by
/// <see cref="EnvelopeType"/>.</summary>
internal interface IEnvelopeHandler
{
    string EnvelopeType { get; }

    EnvelopeDecision Decide(JsonElement payload, bool acceptsResponsePayload);
}

/// <summary>Routes each envelope to the <see cref="IEnvelopeHandler"/> of its type; other types are acknowledged and skipped.</summary>
internal sealed class SocketModeEnvelopeHandler(IEnumerable<IEnvelopeHandler> handlers, ILogger<SocketModeEnvelopeHandler> log)
    : ISocketModeEnvelopeHandler
{
    private readonly Dictionary<string, IEnvelopeHandler> _byType = handlers.ToDictionary(h => h.EnvelopeType, StringComparer.Ordinal);

    public EnvelopeDecision Decide(string type, JsonElement payload, bool acceptsResponsePayload)
    {
        if (_byType.TryGetValue(type, out var handler)) return handler.Decide(payload, acceptsResponsePayload);
        log.LogDebug("Slack {Type} envelope acknowledged and skipped: CaseBot does not handle it", type);
        return default;
    }
}

/// <summary><c>events_api</c>: the event is answered after the ack, by <see cref="SlackEventHandler"/>.</summary>
internal sealed class EventsApiEnvelopeHandler(SlackEventHandler events, ILogger<EventsApiEnvelopeHandler> log) : IEnvelopeHandler
{
    public string EnvelopeType => "events_api";

    public EnvelopeDecision Decide(JsonElement payload, bool acceptsResponsePayload)
    {
        if (SlackJson.TryRead(payload, SlackJson.Default.EventEnvelope) is not { } ev)
        {
            log.LogWarning("Slack events_api envelope whose payload could not be read; acknowledged and skipped");
            return default;
        }
        return new EnvelopeDecision(null, "event " + (ev.EventId ?? "?"), ct => events.HandleAsync(ev, ct));
    }
}

/// <summary><c>slash_commands</c>: help and refusals ride on the ack; answering and reindexing follow.</summary>
internal sealed class SlashCommandsEnvelopeHandler(SlashCommandHandler commands, ILogger<SlashCommandsEnvelopeHandler> log) : IEnvelopeHandler
{
    public string EnvelopeType => "slash_commands";

    public EnvelopeDecision Decide(JsonElement payload, bool acceptsResponsePayload)
    {
        var cmd = SlashCommand.FromJson(payload);
        if (cmd is null)
        {
            log.LogWarning("Slack slash_commands envelope without command/user/channel; acknowledged and skipped");
            return default;
        }
        var outcome = commands.Handle(cmd);
        if (outcome.Response is not null && !acceptsResponsePayload)
        {
            // Slack did not offer a response slot: deliver the same text as an ephemeral message instead.
            var (response, followUp) = (outcome.Response, outcome.FollowUp);
            return new EnvelopeDecision(null, "slash command " + cmd.Command, async ct =>
            {
                await commands.SendEphemeralAsync(cmd, response, ct);
                if (followUp is not null) await followUp(ct);
            });
        }
        return new EnvelopeDecision(outcome.Response, "slash command " + cmd.Command, outcome.FollowUp);
    }
}

/// <summary><c>interactive</c>: a click on an answer's buttons, acknowledged like any envelope, then handled by
/// <see cref="SlackFeedbackHandler"/>.</summary>
internal sealed class InteractiveEnvelopeHandler(SlackFeedbackHandler feedback, ILogger<InteractiveEnvelopeHandler> log) : IEnvelopeHandler
{
    public string EnvelopeType => "interactive";

    public EnvelopeDecision Decide(JsonElement payload, bool acceptsResponsePayload)
    {
        if (SlackJson.TryRead(payload, SlackJson.Default.InteractivePayload) is not { } click)
        {
            log.LogWarning("Slack interactive envelope whose payload could not be read; acknowledged and skipped");
            return default;
        }
        return new EnvelopeDecision(null, "interaction " + (click.Type ?? "?"), ct => feedback.HandleAsync(click, ct));
    }
}
