using System.Text.Encodings.Web;
using CaseBot.Core;
using CaseBot.Core.Conversations;
using CaseBot.Core.Hosting;
using CaseBot.Discord;
using CaseBot.Insights;
using CaseBot.Slack;
using CaseBot.Web.Adapters;
using CaseBot.Web.Insights;
using CaseBot.Web.WebConsole;
using CaseBot.Web.Metrics;
using CaseBot.Web.Moderation;
using CaseBot.Web.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace CaseBot.Web.Hosting;

/// <summary>
/// Builds the <c>casebot serve</c> host: configuration (appsettings.json next to the binary, environment
/// variables, command-line switches), the engine, the moderation gate and metrics the adapters resolve, every
/// configured adapter, the corpus watcher, and Kestrel with the console, health and metrics endpoints.
/// </summary>
public static class ServeHost
{
    /// <param name="args">Command-line switches such as <c>--Web:Urls=http://127.0.0.1:9000</c>.</param>
    /// <param name="configure">Runs after the default registrations and before the engine is decorated: tests swap
    /// the engine or add fake adapters here.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the binary; the working directory may be anywhere (systemd, Docker).
            ContentRootPath = AppContext.BaseDirectory,
        });
        var config = builder.Configuration;
        var services = builder.Services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddOptions<WebOptions>().Bind(config.GetSection(WebOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModerationOptions>, ModerationOptionsValidator>();
        services.AddOptions<ModerationOptions>().Bind(config.GetSection(ModerationOptions.Section)).ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<WebOptions>>((host, web) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(Math.Clamp(web.Value.ShutdownTimeoutSeconds, 1, 600)));

        // The real metrics and gate, registered before the core so that its TryAdd defaults step aside.
        services.AddSingleton<PrometheusBotMetrics>();
        services.AddSingleton<IBotMetrics>(sp => sp.GetRequiredService<PrometheusBotMetrics>());
        services.AddSingleton<ModerationQuestionGate>();
        services.AddSingleton<IQuestionGate>(sp => sp.GetRequiredService<ModerationQuestionGate>());
        services.AddCaseBotCore(config);
        services.AddSingleton(sp => new CorpusLocation(Path.GetFullPath(sp.GetRequiredService<IOptions<CaseBotOptions>>().Value.CorpusPath)));

        // Order matters: hosted services start in registration order (the web server after all of them), so the
        // index is open before any adapter connects.
        services.AddHostedService<IndexWarmup>();
        services.AddCaseBotInsights(config); // records every answered question (IAnswerObserver) and vote (IFeedbackSink)
        services.AddCaseBotConversations(config); // FollowUpResolver: per-thread memory for the question pipeline
        var discord = services.AddDiscordAdapter(config);
        var slack = services.AddSlackAdapter(config);
        services.AddHostedService<CorpusWatcher>();
        services.AddHostedService<IndexFollower>(); // a reindex by any process on the index folder is picked up

        var urls = config[$"{WebOptions.Section}:{nameof(WebOptions.Urls)}"];
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? WebOptions.DefaultUrls : urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The console posts nothing big; platform events are a few KB. Refusals are JSON: see RequestErrors.
            k.Limits.MaxRequestBodySize = RequestErrors.MaxBodyBytes;
            k.Limits.MaxRequestLineSize = RequestErrors.KestrelMaxRequestLine;
        });

        // Belt and braces: besides the page inserting text only as text, the JSON itself escapes <, >, &, quotes
        // and non-ASCII, so an API response opened directly can never be read as markup.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Default);

        configure?.Invoke(builder);
        DecorateEngine(services);

        var app = builder.Build();
        app.UseConsoleSecurityHeaders();
        app.UseRequestErrors(); // after the security headers, so its refusals carry them too
        app.MapHealth();
        var metrics = app.Services.GetRequiredService<PrometheusBotMetrics>();
        RefreshGaugesBeforeScrape(app.Services, metrics);
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapConsoleApi();
        app.MapConsolePages();
        app.MapAdapterEndpoints();
        app.MapInsightsEndpoints();

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, discord, slack));
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

    private static void RefreshGaugesBeforeScrape(IServiceProvider services, PrometheusBotMetrics metrics) =>
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            if (Health.TryStatus(services.GetRequiredService<ICaseBot>()) is { } s) metrics.IndexDocuments.Set(s.Documents);
            foreach (var adapter in services.GetServices<IChatAdapter>())
                metrics.AdapterConnected.WithLabels(adapter.Platform).Set(adapter.IsConnected ? 1 : 0);
        });

    private static void LogStarted(WebApplication app, bool discord, bool slack)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        var gate = app.Services.GetRequiredService<ModerationQuestionGate>();
        var moderation = app.Services.GetRequiredService<IOptions<ModerationOptions>>().Value;
        app.Logger.LogInformation("Web console at {Addresses}; reindex from the web {Reindex}.", string.Join(", ", addresses),
            web.ReindexEnabled ? "is on (Web__AdminToken set)" : "is off (set Web__AdminToken to allow it)");
        app.Logger.LogInformation("Rate limit: {Limit}; channels: {Channels}.",
            moderation.QuestionsPerUser == 0 ? "off" : $"{moderation.QuestionsPerUser} questions per user per {moderation.WindowSeconds} s",
            gate.Channels.IsRestricted ? $"{gate.Channels.Count} allowed (Moderation__AllowedChannels)" : "all");
        if (discord) app.Logger.LogInformation("Discord adapter configured.");
        if (slack) app.Logger.LogInformation("Slack adapter configured.");
        if (!discord && !slack)
            app.Logger.LogWarning(
                "No chat platform is configured, so only the web console answers. To connect Discord, set Discord__Token " +
                "(or DISCORD_TOKEN) and Discord__ApplicationId: see docs/discord.md. To connect Slack, set Slack__BotToken " +
                "and Slack__AppToken for Socket Mode (or SLACK_BOT_TOKEN / SLACK_APP_TOKEN): see docs/slack.md. " +
                "Then restart `casebot serve`. Every setting: docs/self-hosting.md.");
    }
}
