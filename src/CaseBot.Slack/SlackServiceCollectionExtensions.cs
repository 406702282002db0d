using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Slack.Commands;
using CaseBot.Slack.Events;
using CaseBot.Slack.Formatting;
using CaseBot.Slack.Hosting;
using CaseBot.Slack.Http;
using CaseBot.Slack.Options;
using CaseBot.Slack.SocketMode;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Slack adapter (options from the <c>Slack</c> section, hosted service, <c>IChatAdapter</c>)
    /// when its tokens are configured; returns false and registers nothing otherwise.
    /// Socket Mode needs the app token and the bot token; HTTP mode the bot token and the signing secret (the host
    /// then mounts <see cref="ISlackHttpEndpoint"/>). The bare <c>SLACK_APP_TOKEN</c>, <c>SLACK_BOT_TOKEN</c> and
    /// <c>SLACK_SIGNING_SECRET</c> variables are accepted too.
    /// </summary>
    public static bool AddSlackAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SlackOptions.Section);
        var appToken = Setting(configuration, "AppToken", "SLACK_APP_TOKEN");
        var botToken = Setting(configuration, "BotToken", "SLACK_BOT_TOKEN");
        var secret = Setting(configuration, "SigningSecret", "SLACK_SIGNING_SECRET");
        if (botToken is null || (appToken is null && secret is null)) return false;

        services.AddOptions<SlackOptions>()
            .Bind(section)
            .PostConfigure(o =>
            {
                o.AppToken = Setting(configuration, "AppToken", "SLACK_APP_TOKEN");
                o.BotToken = Setting(configuration, "BotToken", "SLACK_BOT_TOKEN");
                o.SigningSecret = Setting(configuration, "SigningSecret", "SLACK_SIGNING_SECRET");
                // Slack__Moderators=U1,U2 arrives as one string; Slack:Moderators:0.. as an array: accept both.
                o.Moderators = o.Moderators.Append(section["Moderators"] ?? "")
                    .SelectMany(m => m.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();

        services.AddHttpClient(SlackWebApiClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddQuestionPipeline(configuration); // the clock, metrics and gate defaults too, when the host registered none
        services.AddSingleton<SlackWebApiClient>();

        services.AddSingleton<SlackIdentity>();
        services.AddSingleton<SlackEventDedupe>();
        services.AddSingleton<SlackWorkQueue>();
        services.AddSingleton<SlackAnswerFormatter>();
        services.AddSingleton<SlackResponder>();
        services.AddSingleton<SlackEventHandler>();
        services.AddSingleton<SlashCommandHandler>();

        services.TryAddSingleton<ISocketModeTransport, ClientWebSocketTransport>();
        services.AddSingleton<IEnvelopeHandler, EventsApiEnvelopeHandler>();
        services.AddSingleton<IEnvelopeHandler, SlashCommandsEnvelopeHandler>();
        services.AddSingleton<SlackFeedbackHandler>();
        services.AddSingleton<IEnvelopeHandler, InteractiveEnvelopeHandler>();
        services.AddSingleton<ISocketModeEnvelopeHandler, SocketModeEnvelopeHandler>();
        services.AddSingleton<SocketModeClient>();
        services.AddSingleton<ISlackHttpEndpoint, SlackHttpHandler>(); // the web host mounts it

        services.AddSingleton<SlackAdapter>();
        services.AddSingleton<IChatAdapter>(sp => sp.GetRequiredService<SlackAdapter>());
        services.AddHostedService<SlackHostedService>();
        return true;
    }

    /// <summary>The configured value of <c>Slack:{key}</c>, else of the bare env variable; blank counts as unset.</summary>
    private static string? Setting(IConfiguration configuration, string key, string envName)
    {
        var value = configuration[$"{SlackOptions.Section}:{key}"];
        if (string.IsNullOrWhiteSpace(value)) value = configuration[envName];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

}
