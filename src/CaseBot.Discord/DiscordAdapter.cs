using System.Collections.Concurrent;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Interactions;
using CaseBot.Discord.Messages;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Discord;

/// <summary>
/// The Discord adapter as the host runs it: registers the commands, keeps the gateway session, and hands each
/// event to its handler on the thread pool so that answering never holds up the read loop (and its heartbeats).
/// </summary>
internal sealed class DiscordAdapter(
    GatewayClient gateway,
    CommandRegistrar commands,
    MessageHandler messages,
    InteractionHandler interactions,
    DiscordRestClient rest,
    ILogger<DiscordAdapter> logger) : BackgroundService, IChatAdapter
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly RecentIds _seen = new(4096);
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    public string Platform => DiscordPlatform.Name;

    public bool IsConnected => gateway.IsConnected;

    /// <summary>True once the adapter has stopped running (shutdown, fatal close code or rejected token).</summary>
    public bool Stopped { get; private set; }

    /// <summary>True when it stopped because Discord refused it (fatal close code or rejected token), not for a shutdown.</summary>
    public bool Failed { get; private set; }

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
            await Task.WhenAll(_inFlight.Keys).WaitAsync(DrainTimeout, CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private ValueTask OnDispatchAsync(GatewayDispatch dispatch)
    {
        switch (dispatch.Type)
        {
            case "MESSAGE_CREATE" when dispatch.Data.TryGetProperty("id", out var id) && _seen.Add("m" + id.GetString()):
                var botUserId = gateway.BotUserId;
                Track(() => messages.HandleAsync(dispatch.Data, botUserId, CancellationToken.None));
                break;
            case "INTERACTION_CREATE" when dispatch.Data.TryGetProperty("id", out var id) && _seen.Add("i" + id.GetString()):
                var interactionId = id.GetString()!;
                var token = dispatch.Data.GetProperty("token").GetString()!;
                Track(() => interactions.HandleAsync(dispatch.Data, new RestInteractionResponder(rest, interactionId, token), CancellationToken.None));
                break;
        }
        return ValueTask.CompletedTask;
    }

    private void Track(Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Handling a Discord event failed.");
            }
        });
        _inFlight[task] = 0;
        task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Ids of recently handled events: a replayed or duplicated event is never answered twice.</summary>
    private sealed class RecentIds(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _set = [];
        private readonly Queue<string> _order = new();

        public bool Add(string id)
        {
            lock (_lock)
            {
                if (!_set.Add(id)) return false;
                _order.Enqueue(id);
                if (_order.Count > capacity) _set.Remove(_order.Dequeue());
                return true;
            }
        }
    }
}
