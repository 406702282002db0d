using CaseBot.Slack.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Hosting;

/// <summary>
/// <c>casebot slack</c>: runs a host built by the one composition root (the web project's <c>ServeHost</c>, which
/// registered the Slack adapter, the moderation gate and metrics) until Ctrl+C / SIGTERM. In HTTP mode that host's
/// web server takes Slack's requests at <c>/slack/events</c>.
/// </summary>
public static class SlackCommand
{
    public const string NotConfigured =
        "Slack is not configured: set Slack__AppToken (xapp-…) and Slack__BotToken (xoxb-…) for Socket Mode. See docs/slack.md.";

    /// <returns>0 after a clean stop, 2 for bad settings.</returns>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = host.Services.GetRequiredService<IOptions<SlackOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Slack configuration is invalid:\n  " + string.Join("\n  ", ex.Failures));
            return 2;
        }
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
