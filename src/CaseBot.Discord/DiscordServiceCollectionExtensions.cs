using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Interactions;
using CaseBot.Discord.Messages;
using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>The environment variable that may hold the token instead of <c>Discord__Token</c>.</summary>
    public const string TokenEnvironmentVariable = "DISCORD_TOKEN";

    private const string HttpClientName = "CaseBot.Discord";

    /// <summary>
    /// Registers the Discord adapter (options from the <c>Discord</c> section, hosted service, <c>IChatAdapter</c>)
    /// when a token is configured; returns false and registers nothing otherwise. Also registers
    /// <see cref="IDiscordInteractionEndpoint"/> for a host that mounts the HTTP interactions endpoint.
    /// Needs <c>ICaseBot</c> registered by the host; <c>IBotMetrics</c> and <c>IQuestionGate</c> default to no-ops.
    /// </summary>
    public static bool AddDiscordAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DiscordOptions.Section);
        var fallbackToken = configuration[TokenEnvironmentVariable] ?? Environment.GetEnvironmentVariable(TokenEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(section["Token"]) && string.IsNullOrWhiteSpace(fallbackToken))
            return false;

        services.AddOptions<DiscordOptions>()
            .Bind(section)
            .PostConfigure(o => { if (string.IsNullOrWhiteSpace(o.Token)) o.Token = fallbackToken; })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());

        services.AddQuestionPipeline(configuration); // the clock, metrics and gate defaults too, when the host registered none

        // No HttpClient logging handlers: request URLs carry interaction tokens. The client logs route templates itself.
        services.AddHttpClient(HttpClientName)
            .RemoveAllLoggers()
            // A singleton client holds its HttpClient: let pooled connections expire so DNS changes are seen.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        // One instance: it holds the rate-limit state that every sender must share.
        services.TryAddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<IOptions<DiscordOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IBotMetrics>(), sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.TryAddSingleton<IGatewayTransportFactory, WebSocketGatewayTransportFactory>();
        services.TryAddSingleton<GatewayClient>();
        services.TryAddSingleton<DiscordWorkQueue>();
        services.TryAddSingleton<DiscordEventDedupe>();
        services.TryAddSingleton<CommandRegistrar>();
        services.TryAddSingleton<ReplyChains>();
        services.TryAddSingleton<MessageHandler>();
        services.TryAddSingleton<InteractionHandler>();
        services.TryAddSingleton<IDiscordInteractionEndpoint, DiscordInteractionEndpoint>(); // the web host mounts it

        services.TryAddSingleton<DiscordAdapter>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordAdapter>());
        services.AddSingleton<IChatAdapter>(sp => sp.GetRequiredService<DiscordAdapter>());
        return true;
    }
}
