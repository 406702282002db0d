using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Slack adapter (options from the <c>Slack</c> section, hosted service, <c>IChatAdapter</c>)
    /// when its tokens are configured; returns false and registers nothing otherwise.
    /// </summary>
    public static bool AddSlackAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        // Filled in by the Slack adapter (issue 5).
        return false;
    }
}
