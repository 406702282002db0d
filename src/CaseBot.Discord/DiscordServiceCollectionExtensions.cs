using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Discord adapter (options from the <c>Discord</c> section, hosted service, <c>IChatAdapter</c>)
    /// when a token is configured; returns false and registers nothing otherwise.
    /// </summary>
    public static bool AddDiscordAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        // Filled in by the Discord adapter (issue 4).
        return false;
    }
}
