using CaseBot.Core;
using CaseBot.Core.Conversations;
using CaseBot.Discord;
using CaseBot.Insights;
using CaseBot.Slack;
using CaseBot.Web.Adapters;
using CaseBot.Web.Insights;
using CaseBot.Web.Moderation;
using CaseBot.Web.Options;
using CaseBot.Web.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Hosting;

/// <summary>
/// The one composition root of every long-running command: configuration (appsettings.json next to the binary,
/// environment variables, command-line switches), <see cref="ServiceDefaults"/> (engine, pipeline, moderation gate,
/// metrics, health), the chat adapters asked for, the corpus watcher, and Kestrel with the default endpoints plus
/// the console when it is asked for. <c>serve</c> asks for every surface; <c>discord</c> and <c>slack</c> for one.
/// </summary>
public static class ServeHost
{
    /// <param name="args">Command-line switches such as <c>--Web:Urls=http://127.0.0.1:9000</c>.</param>
    /// <param name="configure">Runs after the default registrations and before the engine is decorated: tests swap
    /// the engine or add fake adapters here.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Build(args, HostSurfaces.All, configure);

    public static WebApplication Build(string[] args, HostSurfaces surfaces, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the binary; the working directory may be anywhere (systemd, Docker).
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddServiceDefaults();
        var config = builder.Configuration;
        var services = builder.Services;

        // After the defaults (whose IndexWarmup opens the index first) and before the adapters connect.
        services.AddCaseBotInsights(config); // records every answered question (IAnswerObserver) and vote (IFeedbackSink)
        services.AddCaseBotConversations(config); // FollowUpResolver: per-thread memory for the question pipeline
        var adapters = new ConfiguredAdapters(
            surfaces.HasFlag(HostSurfaces.Discord) && services.AddDiscordAdapter(config),
            surfaces.HasFlag(HostSurfaces.Slack) && services.AddSlackAdapter(config));
        services.AddSingleton(adapters);
        services.AddHostedService<CorpusWatcher>();
        services.AddHostedService<IndexFollower>(); // a reindex by any process on the index folder is picked up

        configure?.Invoke(builder);
        DecorateEngine(services);

        var app = builder.Build();
        app.UseConsoleSecurityHeaders();
        app.UseRequestErrors(); // after the security headers, so its refusals carry them too
        app.MapDefaultEndpoints();
        if (surfaces.HasFlag(HostSurfaces.Console))
        {
            app.MapConsoleApi();
            app.MapConsolePages();
            app.MapInsightsEndpoints(); // console votes, the moderator report page and its API
        }
        app.MapAdapterEndpoints();

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, surfaces, adapters));
        app.Lifetime.ApplicationStopping.Register(() =>
            app.Logger.LogInformation("Stopping: no new questions; finishing the ones in flight and closing connections."));
        return app;
    }

    /// <summary>Wraps whichever <see cref="ICaseBot"/> was registered last with <see cref="AuditedCaseBot"/>.</summary>
    private static void DecorateEngine(IServiceCollection services)
    {
        var inner = services.Last(d => d.ServiceType == typeof(ICaseBot) && !d.IsKeyedService);
        services.RemoveAll<ICaseBot>();
        services.AddSingleton(sp => new AuditedCaseBot(Resolve(sp, inner), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AuditedCaseBot>>()));
        services.AddSingleton<ICaseBot>(sp => sp.GetRequiredService<AuditedCaseBot>());
    }

    private static ICaseBot Resolve(IServiceProvider sp, ServiceDescriptor d) =>
        (ICaseBot)(d.ImplementationInstance
                   ?? d.ImplementationFactory?.Invoke(sp)
                   ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));

    private static void LogStarted(WebApplication app, HostSurfaces surfaces, ConfiguredAdapters adapters)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        var gate = app.Services.GetRequiredService<ModerationQuestionGate>();
        var moderation = app.Services.GetRequiredService<IOptions<ModerationOptions>>().Value;
        if (surfaces.HasFlag(HostSurfaces.Console))
            app.Logger.LogInformation("Web console at {Addresses}; reindex from the web {Reindex}.", string.Join(", ", addresses),
                web.ReindexEnabled ? "is on (Web__AdminToken set)" : "is off (set Web__AdminToken to allow it)");
        else
            app.Logger.LogInformation("Health and metrics at {Addresses} (/healthz, /readyz, /metrics); no web console.", string.Join(", ", addresses));
        app.Logger.LogInformation("Rate limit: {Limit}; channels: {Channels}.",
            moderation.QuestionsPerUser == 0 ? "off" : $"{moderation.QuestionsPerUser} questions per user per {moderation.WindowSeconds} s",
            gate.Channels.IsRestricted ? $"{gate.Channels.Count} allowed (Moderation__AllowedChannels)" : "all");
        if (adapters.Discord) app.Logger.LogInformation("Discord adapter configured.");
        if (adapters.Slack) app.Logger.LogInformation("Slack adapter configured.");
        if (surfaces == HostSurfaces.All && !adapters.Discord && !adapters.Slack)
            app.Logger.LogWarning(
                "No chat platform is configured, so only the web console answers. To connect Discord, set Discord__Token " +
                "(or DISCORD_TOKEN) and Discord__ApplicationId: see docs/discord.md. To connect Slack, set Slack__BotToken " +
                "and Slack__AppToken for Socket Mode (or SLACK_BOT_TOKEN / SLACK_APP_TOKEN): see docs/slack.md. " +
                "Then restart `casebot serve`. Every setting: docs/self-hosting.md.");
    }
}
