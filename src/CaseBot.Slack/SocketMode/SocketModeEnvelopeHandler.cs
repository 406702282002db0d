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

internal sealed class SocketModeEnvelopeHandler(
    SlackEventHandler events,
    SlashCommandHandler commands,
    ILogger<SocketModeEnvelopeHandler> log) : ISocketModeEnvelopeHandler
{
    public EnvelopeDecision Decide(string type, JsonElement payload, bool acceptsResponsePayload)
    {
        switch (type)
        {
            case "events_api":
                if (SlackJson.TryRead(payload, SlackJson.Default.EventEnvelope) is not { } ev)
                {
                    log.LogWarning("Slack events_api envelope whose payload could not be read; acknowledged and skipped");
                    return default;
                }
                return new EnvelopeDecision(null, "event " + (ev.EventId ?? "?"), ct => events.HandleAsync(ev, ct));

            case "slash_commands":
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

            default:
                log.LogDebug("Slack {Type} envelope acknowledged; CaseBot does not handle it", type);
                return default;
        }
    }
}
