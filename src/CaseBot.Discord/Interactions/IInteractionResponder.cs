using System.Text.Json.Nodes;
using CaseBot.Discord.Rest;

namespace CaseBot.Discord.Interactions;

/// <summary>Sends the first response to an interaction: over REST for gateway interactions, as the HTTP reply
/// for the interactions endpoint.</summary>
internal interface IInteractionResponder
{
    Task RespondAsync(JsonObject callback, CancellationToken ct);
}

internal sealed class RestInteractionResponder(DiscordRestClient rest, string interactionId, string interactionToken) : IInteractionResponder
{
    public async Task RespondAsync(JsonObject callback, CancellationToken ct) =>
        await rest.SendAsync(DiscordRoute.InteractionCallback(interactionId, interactionToken), callback, ct).ConfigureAwait(false);
}

/// <summary>Captures the first response so the HTTP endpoint can return it as its body.</summary>
internal sealed class HttpReplyResponder : IInteractionResponder
{
    private readonly TaskCompletionSource<JsonObject> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JsonObject> FirstResponse => _first.Task;

    public Task RespondAsync(JsonObject callback, CancellationToken ct)
    {
        if (!_first.TrySetResult(callback))
            throw new InvalidOperationException("The interaction was already acknowledged.");
        return Task.CompletedTask;
    }
}
