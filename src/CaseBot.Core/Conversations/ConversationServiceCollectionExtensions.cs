using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CaseBot.Core.Conversations;

public static class ConversationServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ConversationMemory"/> and <see cref="FollowUpResolver"/> with validated
    /// <see cref="ConversationOptions"/> from the <c>Conversations</c> section.</summary>
    public static IServiceCollection AddCaseBotConversations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConversationOptions>()
            .Bind(configuration.GetSection(ConversationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ConversationMemory(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConversationOptions>>()));
        services.TryAddSingleton<FollowUpResolver>();
        return services;
    }
}
