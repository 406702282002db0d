using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Interactions;

/// <summary>Registers the slash commands with one bulk overwrite: idempotent, and removes commands we no longer
/// have. The guild route when a guild is configured (instant), else the global one.</summary>
internal sealed class CommandRegistrar(IOptions<DiscordOptions> options, DiscordRestClient rest, ILogger<CommandRegistrar> logger)
{
    public async Task RegisterAsync(CancellationToken ct)
    {
        var o = options.Value;
        var route = string.IsNullOrEmpty(o.GuildId)
            ? DiscordRoute.BulkOverwriteGlobalCommands(o.ApplicationId!)
            : DiscordRoute.BulkOverwriteGuildCommands(o.ApplicationId!, o.GuildId);
        await rest.SendAsync(route, SlashCommands.Definitions(), ct).ConfigureAwait(false);
        logger.LogInformation("Registered /ask, /source and /reindex {Where}.",
            string.IsNullOrEmpty(o.GuildId) ? "globally" : $"on guild {o.GuildId}");
    }
}
