using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICaseBot"/> (the engine over <c>CaseBot:CorpusPath</c> / <c>CaseBot:IndexPath</c>, opened —
    /// and built when missing or stale — on first use), with validated options, and defaults for
    /// <see cref="IBotMetrics"/> (none) and <see cref="IQuestionGate"/> (allow all) unless the host registered its own, and the <see cref="QuestionPipeline"/> every surface asks through.
    /// </summary>
    public static IServiceCollection AddCaseBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaseBotOptions>()
            .Bind(configuration.GetSection(CaseBotOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Directory.Exists(o.CorpusPath) || Directory.Exists(o.IndexPath),
                "CaseBot:CorpusPath names no folder and there is no index folder either: set CaseBot__CorpusPath to the case documents.")
            .ValidateOnStart();
        services.AddQuestionPipeline(configuration);
        services.TryAddSingleton(sp => CaseBotService.Open(
            sp.GetRequiredService<IOptions<CaseBotOptions>>().Value,
            logger: sp.GetService<ILoggerFactory>()?.CreateLogger("CaseBot.Core"),
            metrics: sp.GetRequiredService<IBotMetrics>()));
        services.TryAddSingleton<ICaseBot>(sp => sp.GetRequiredService<CaseBotService>());
        return services;
    }
}
