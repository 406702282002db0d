using CaseBot.Core.Feedback;
using CaseBot.Core.Hosting;
using CaseBot.Insights.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CaseBot.Insights;

public static class InsightsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the insight store (SQLite under <c>Insights:DataPath</c>, or PostgreSQL when
    /// <c>Insights:ConnectionString</c> is set), validated options, the recorder as an <see cref="IAnswerObserver"/>
    /// and <see cref="IFeedbackSink"/> (and a hosted service that drains it on stop), and the daily retention purge.
    /// </summary>
    public static IServiceCollection AddCaseBotInsights(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<InsightsOptions>, InsightsOptionsValidator>();
        services.AddOptions<InsightsOptions>().Bind(configuration.GetSection(InsightsOptions.Section)).ValidateOnStart();
        services.TryAddSingleton(sp => CreateStore(sp.GetRequiredService<IOptions<InsightsOptions>>().Value));
        services.TryAddSingleton<InsightRecorder>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnswerObserver, InsightRecorder>(sp => sp.GetRequiredService<InsightRecorder>()));
        services.TryAddSingleton<IFeedbackSink>(sp => sp.GetRequiredService<InsightRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<InsightRecorder>());
        services.AddHostedService<RetentionService>();
        return services;
    }

    public static IInsightStore CreateStore(InsightsOptions options) =>
        options.UsesPostgres ? new PostgresInsightStore(options.ConnectionString!) : new SqliteInsightStore(options.SqlitePath);
}
