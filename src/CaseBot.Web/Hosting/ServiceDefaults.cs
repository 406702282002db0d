using System.Text.Encodings.Web;
using System.Text.Json;
using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Web.Metrics;
using CaseBot.Web.Moderation;
using CaseBot.Web.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace CaseBot.Web.Hosting;

/// <summary>
/// What every CaseBot host has, whichever surfaces it runs (eShop's <c>AddServiceDefaults</c> /
/// <c>MapDefaultEndpoints</c>): the engine and its question pipeline, the moderation gate (rate limit, channel
/// allow-list), Prometheus metrics, the shutdown budget, health checks, and the <c>/healthz</c>, <c>/readyz</c> and
/// <c>/metrics</c> endpoints. <c>serve</c>, <c>discord</c> and <c>slack</c> all start from here, so moderation and
/// metrics always apply.
/// </summary>
public static class ServiceDefaults
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
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
        // Hosted services start in registration order (the web server after all of them): the index opens first.
        services.AddHostedService<IndexWarmup>();

        services.AddHealthChecks()
            .AddCheck<IndexHealthCheck>("index", tags: [ReadyTag])
            .AddCheck<AdaptersHealthCheck>("adapters", tags: [ReadyTag]);

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
        return builder;
    }

    /// <summary><c>/healthz</c> (the process answers), <c>/readyz</c> (every <see cref="ReadyTag"/> check: index
    /// loaded, every configured adapter connected; 503 otherwise) and <c>/metrics</c> (Prometheus).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) =>
            {
                http.Response.ContentType = "text/plain; charset=utf-8";
                return http.Response.WriteAsync("ok\n");
            },
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadiness,
        });

        var metrics = app.Services.GetRequiredService<PrometheusBotMetrics>();
        var services = app.Services;
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            if (Health.TryStatus(services.GetRequiredService<ICaseBot>()) is { } s) metrics.IndexDocuments.Set(s.Documents);
            foreach (var adapter in services.GetServices<IChatAdapter>())
                metrics.AdapterConnected.WithLabels(adapter.Platform).Set(adapter.IsConnected ? 1 : 0);
        });
        app.MapMetrics("/metrics", metrics.Registry);
        return app;
    }

    private static Task WriteReadiness(HttpContext http, HealthReport report)
    {
        var services = http.RequestServices;
        var adapters = services.GetServices<IChatAdapter>().Select(a => new WebConsole.AdapterDto(a.Platform, a.IsConnected)).ToList();
        var index = Health.TryStatus(services.GetRequiredService<ICaseBot>());
        var body = new
        {
            ready = report.Status == HealthStatus.Healthy,
            indexLoaded = index is { Documents: > 0 },
            documents = index?.Documents ?? 0,
            adapters,
        };
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>Ready when the live index has documents.</summary>
internal sealed class IndexHealthCheck(ICaseBot bot) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Health.TryStatus(bot) is { Documents: > 0 } s
            ? HealthCheckResult.Healthy($"{s.Documents} documents")
            : HealthCheckResult.Unhealthy("no index loaded"));
}

/// <summary>Ready when every configured chat adapter is connected (none configured: ready).</summary>
internal sealed class AdaptersHealthCheck(IEnumerable<IChatAdapter> adapters) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var down = adapters.Where(a => !a.IsConnected).Select(a => a.Platform).ToList();
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("not connected: " + string.Join(", ", down)));
    }
}
