using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Events;
using CaseBot.Slack.Http;
using CaseBot.Slack.SocketMode;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>The adapter as the host would run it (AddSlackAdapter + a generic host), pointed at a <see cref="FakeSlack"/>.</summary>
internal sealed class SlackTestHost : IAsyncDisposable
{
    public const string AppToken = "xapp-1-A111-1111-appsecretvalue";
    public const string BotToken = "xoxb-1111-2222-botsecretvalue";
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    private SlackTestHost(IHost host, TestLogs logs)
    {
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }
    public TestLogs Logs { get; }
    public IServiceProvider Services => Host.Services;
    public SlackWorkQueue Queue => Services.GetRequiredService<SlackWorkQueue>();
    public SocketModeClient Client => Services.GetRequiredService<SocketModeClient>();
    public IChatAdapter Adapter => Services.GetRequiredService<IChatAdapter>();
    public ISlackHttpEndpoint Http => Services.GetRequiredService<ISlackHttpEndpoint>();

    /// <summary>The hosted service's run; completes when the adapter stops for good.</summary>
    public Task Execution => Services.GetServices<IHostedService>().OfType<BackgroundService>().Single().ExecuteTask!;

    public static Dictionary<string, string?> DefaultSettings(FakeSlack slack) => new()
    {
        ["Slack:AppToken"] = AppToken,
        ["Slack:BotToken"] = BotToken,
        ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
        ["Slack:Moderators"] = "U0MOD1,U0MOD2",
        // Real-time loopback tests: keep waits short; pacing and backoff have their own virtual-time tests.
        ["Slack:ReconnectBaseDelay"] = "00:00:00.010",
        ["Slack:ReconnectMaxDelay"] = "00:00:00.100",
        ["Slack:TransientRetryBaseDelay"] = "00:00:00.010",
        ["Slack:TransientRetryMaxDelay"] = "00:00:00.050",
        ["Slack:ChannelMessageInterval"] = "00:00:00",
    };

    /// <param name="bot">The engine; null when <paramref name="services"/> registers the real one.</param>
    public static async Task<SlackTestHost> StartAsync(FakeSlack slack, ICaseBot? bot,
        Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var settings = DefaultSettings(slack);
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new TestLogs();
        builder.Services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        if (bot is not null) builder.Services.AddSingleton(bot);
        if (time is not null) builder.Services.AddSingleton(time);
        services?.Invoke(builder.Services);
        Assert.True(builder.Services.AddSlackAdapter(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return new SlackTestHost(host, logs);
    }

    /// <summary>
    /// Sets the Web API client's HTTP timeout. A PostConfigure, so it wins over the adapter's own registration (30 s),
    /// which runs after the test's services: a plain <c>AddHttpClient(...).ConfigureHttpClient</c> there is overridden.
    /// </summary>
    public static void WebApiTimeout(IServiceCollection services, TimeSpan timeout) =>
        services.PostConfigure<Microsoft.Extensions.Http.HttpClientFactoryOptions>(Slack.WebApi.SlackWebApiClient.HttpClientName,
            o => o.HttpClientActions.Add(c => c.Timeout = timeout));

    /// <summary>Waits (bounded) until the adapter reports itself connected: hello is read on the client's own loop.</summary>
    public async Task WaitConnectedAsync()
    {
        await Wait.UntilAsync(() => Adapter.IsConnected);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(TimeSpan.FromSeconds(5));
        Host.Dispose();
    }
}
