using CaseBot.Slack.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Hosting;

/// <summary>
/// <c>casebot slack</c>: runs the Slack adapter alone in Socket Mode until Ctrl+C / SIGTERM, until <c>casebot serve</c>
/// hosts every adapter together. The CLI passes how to register the answer engine (the core's
/// <c>AddCaseBotCore</c>), so this project does not depend on the CLI.
/// </summary>
public static class SlackCommand
{
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection, IConfiguration> addCore,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(args);
        addCore(builder.Services, builder.Configuration);
        if (!builder.Services.AddSlackAdapter(builder.Configuration))
        {
            await Console.Error.WriteLineAsync(
                "Slack is not configured: set Slack__AppToken (xapp-…) and Slack__BotToken (xoxb-…) for Socket Mode. See docs/slack.md.");
            return 2;
        }

        using var host = builder.Build();
        SlackOptions options;
        try
        {
            options = host.Services.GetRequiredService<IOptions<SlackOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Slack configuration is invalid:\n  " + string.Join("\n  ", ex.Failures));
            return 2;
        }
        if (options.EffectiveMode == SlackMode.Http)
        {
            await Console.Error.WriteLineAsync(
                "HTTP mode needs a web server for Slack to call: run `casebot serve`, or use Socket Mode here (set Slack__AppToken).");
            return 2;
        }

        await host.RunAsync(cancellationToken);
        return 0;
    }
}
