using CaseBot.Core.Conversations;
using CaseBot.Core.Feedback;
using CaseBot.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CaseBot.Core.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="QuestionPipeline"/> with defaults for what the host did not register: no metrics, an open
    /// gate, the system clock; the follow-up memory (<see cref="FollowUpResolver"/>); and the <see cref="BotProfileOptions"/> (section <c>Bot</c>) when given the configuration. Every surface registration calls it; registering twice is harmless.
    /// </summary>
    public static IServiceCollection AddQuestionPipeline(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBotMetrics>(NullBotMetrics.Instance);
        services.TryAddSingleton<IQuestionGate, OpenQuestionGate>();
        services.TryAddSingleton<QuestionPipeline>();
        // "Why this answer?": the recent answers by key, told of every answer like any observer.
        services.TryAddSingleton<RecentAnswers>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnswerObserver, RecentAnswers>(sp => sp.GetRequiredService<RecentAnswers>()));
        // Follow-ups in threads: the per-thread memory, with defaults when the host gave no configuration.
        services.AddCaseBotConversations(configuration ?? new ConfigurationBuilder().Build());
        var profile = services.AddOptions<BotProfileOptions>();
        if (configuration is not null) profile.Bind(configuration.GetSection(BotProfileOptions.Section));
        return services;
    }
}
