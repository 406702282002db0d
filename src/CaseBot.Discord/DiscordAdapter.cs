using CaseBot.Adapters;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Interactions;
using CaseBot.Discord.Messages;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord;

/// <summary>
/// The Discord adapter as the host runs it: registers the commands, keeps the gateway session, and hands each
/// event to the work queue so that answering never holds up the read loop (and its heartbeats). On stop it takes
/// no new events, lets the accepted ones finish within the host's shutdown budget, then closes the gateway.
/// </summary>
internal sealed class DiscordAdapter(
    GatewayClient gateway,
    CommandRegistrar commands,
    MessageHandler messages,
    InteractionHandler interactions,
    DiscordRestClient rest,
    DiscordWorkQueue queue,
    DiscordEventDedupe seen,
    IOptions<HostOptions> host,
    ILogger<DiscordAdapter> logger) : BackgroundService, IChatAdapter
{
    public string Platform => DiscordPlatform.Name;

    public bool IsConnected => gateway.IsConnected;

    /// <summary>True once the adapter has stopped running (shutdown, fatal close code or rejected token).</summary>
    public bool Stopped { get; private set; }

    /// <summary>True when it stopped because Discord refused it (fatal close code or rejected token), not for a shutdown.</summary>
    public bool Failed { get; private set; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!await queue.StopAsync(WorkDispatcher.DrainBudget(host.Value.ShutdownTimeout), cancellationToken).ConfigureAwait(false))
            logger.LogWarning("Discord: some accepted questions could not be answered within the shutdown budget.");
        await base.StopAsync(cancellationToken).ConfigureAwait(false); // the gateway then closes with a close frame
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await commands.RegisterAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.IsUnauthorized)
        {
            logger.LogCritical("Discord rejected the bot token; the Discord adapter is stopping. Check Discord__Token.");
            Stopped = Failed = true;
            return;
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException)
        {
            // Mentions still work without commands; say why the commands are missing and carry on.
            logger.LogError("Registering slash commands failed: {Error}", ex.Message);
        }

        try
        {
            await gateway.RunAsync(OnDispatchAsync, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            Stopped = true;
            Failed |= gateway.FatalCloseCode is not null;
        }
    }

    private ValueTask OnDispatchAsync(GatewayDispatch dispatch)
    {
        switch (dispatch.Type)
        {
            case "MESSAGE_CREATE":
                if (Read(dispatch, DiscordEventJson.Default.DiscordMessage) is not { } message) break;
                if (message.Id is not { } messageId)
                    logger.LogWarning("Skipping a MESSAGE_CREATE without a message id.");
                else if (!seen.FirstTime("m" + messageId))
                    logger.LogDebug("Skipping MESSAGE_CREATE {MessageId}: already handled.", messageId);
                else
                {
                    var botUserId = gateway.BotUserId;
                    Dispatch("message", ct => messages.HandleAsync(message, botUserId, ct));
                }
                break;
            case "INTERACTION_CREATE":
                if (Read(dispatch, DiscordEventJson.Default.DiscordInteraction) is not { } interaction) break;
                if (interaction is not { Id: { } interactionId, Token: { } token } || !DiscordIds.IsSnowflake(interactionId) || !DiscordIds.IsToken(token))
                    logger.LogWarning("Skipping an INTERACTION_CREATE without a usable id or token: it cannot be answered.");
                else if (!seen.FirstTime("i" + interactionId))
                    logger.LogDebug("Skipping INTERACTION_CREATE {InteractionId}: already handled.", interactionId);
                else
                    Dispatch("interaction", ct => interactions.HandleAsync(interaction, new RestInteractionResponder(rest, interactionId, token), ct));
                break;
            case "READY" or "RESUMED":
                break; // the gateway connection read them
            default:
                logger.LogDebug("Skipping a {Event} dispatch: CaseBot does not handle it.",
                    dispatch.Type.Length > 64 ? dispatch.Type[..64] + "…" : dispatch.Type);
                break;
        }
        return ValueTask.CompletedTask;
    }

    private T? Read<T>(GatewayDispatch dispatch, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        var value = DiscordEventJson.TryRead(dispatch.Data, type);
        if (value is null) logger.LogWarning("Skipping a {Event} whose data could not be read.", dispatch.Type);
        return value;
    }

    private void Dispatch(string what, Func<CancellationToken, Task> work)
    {
        if (!queue.TryEnqueue("Discord " + what, work))
            logger.LogWarning("Discord {What} not handled: busy or stopping.", what);
    }
}

/// <summary>Discord's <see cref="WorkDispatcher"/>: 16 events handled at once, at most 1,000 waiting.</summary>
internal sealed class DiscordWorkQueue(TimeProvider time, ILogger<DiscordWorkQueue> log) : WorkDispatcher(16, 1_000, time, log);

/// <summary>Discord's <see cref="EventDedupe"/>: a replayed or duplicated event (a resume) is never answered twice.</summary>
internal sealed class DiscordEventDedupe(TimeProvider time) : EventDedupe(time, TimeSpan.FromMinutes(15), capacity: 4096);
