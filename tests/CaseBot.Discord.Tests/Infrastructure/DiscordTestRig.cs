using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>
/// The adapter as the host runs it (generic host, <see cref="DiscordServiceCollectionExtensions.AddDiscordAdapter"/>),
/// pointed at a <see cref="FakeDiscord"/>, on a virtual clock. On dispose it stops everything and checks that the
/// bot token never reached a log line.
/// </summary>
internal sealed class DiscordTestRig : IAsyncDisposable
{
    public const string Token = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";
    public const string ApplicationId = Events.ApplicationId;

    private DiscordTestRig(FakeDiscord fake, FakeTimeProvider clock, LogSink logs, FakeCaseBot bot, IHost host)
    {
        Fake = fake;
        Clock = clock;
        Logs = logs;
        Bot = bot;
        Host = host;
    }

    public FakeDiscord Fake { get; }
    public FakeTimeProvider Clock { get; }
    public LogSink Logs { get; }
    public FakeCaseBot Bot { get; }
    public IHost Host { get; }
    public DiscordAdapter Adapter => Host.Services.GetRequiredService<DiscordAdapter>();
    public GatewayClient Gateway => Host.Services.GetRequiredService<GatewayClient>();
    public RecordingMetrics Metrics => (RecordingMetrics)Host.Services.GetRequiredService<IBotMetrics>();

    public static async Task<DiscordTestRig> StartAsync(Action<Dictionary<string, string?>>? configure = null, double jitter = 0.5,
        bool start = true, IQuestionGate? gate = null, bool realEngine = false, Action<IServiceCollection>? services = null, TimeProvider? time = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        // Load tests run on the real clock (time: TimeProvider.System) so that rate-limit pacing costs real time.
        var now = time ?? clock;
        var fake = await FakeDiscord.StartAsync(now);
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = Token,
            ["Discord:ApplicationId"] = ApplicationId,
            ["Discord:GuildId"] = Events.GuildId,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
        };
        configure?.Invoke(settings);

        var logs = new LogSink();
        var bot = new FakeCaseBot();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(now);
        builder.Services.AddSingleton<IBotMetrics, RecordingMetrics>();
        if (realEngine) builder.Services.AddCaseBotCore(builder.Configuration); // CaseBot:CorpusPath / IndexPath from settings
        else builder.Services.AddSingleton<ICaseBot>(bot);
        if (gate is not null) builder.Services.AddSingleton(gate);
        // Registered first, so AddDiscordAdapter's TryAdd keeps it: a fixed jitter makes heartbeat timing exact.
        builder.Services.AddSingleton(sp => new GatewayClient(
            sp.GetRequiredService<IOptions<DiscordOptions>>(), sp.GetRequiredService<IGatewayTransportFactory>(),
            sp.GetRequiredService<DiscordRestClient>(), now, sp.GetRequiredService<IBotMetrics>(),
            sp.GetRequiredService<ILogger<GatewayClient>>(), () => jitter));
        Assert.True(builder.Services.AddDiscordAdapter(builder.Configuration));
        services?.Invoke(builder.Services);

        var host = builder.Build();
        var rig = new DiscordTestRig(fake, clock, logs, bot, host);
        if (start) await host.StartAsync().WaitAsync(realEngine ? TimeSpan.FromSeconds(60) : Wait.Default);
        return rig;
    }

    /// <summary>Accepts gateway connection <paramref name="index"/>, sends Hello, expects Identify, sends READY (s = 1).</summary>
    public async Task<(FakeGatewayConnection Connection, System.Text.Json.Nodes.JsonNode Identify)> ConnectAsync(int index = 0)
    {
        var connection = await Fake.WaitForConnectionAsync(index);
        await connection.SendAsync(Events.Hello());
        var identify = await connection.ExpectOpAsync(2);
        await connection.SendAsync(Events.Ready(1, Fake.ResumeUrl));
        await Wait.UntilAsync(() => Adapter.IsConnected);
        return (connection, identify);
    }

    /// <summary>Stops the host, which waits for in-flight answers: afterwards request counts are final.</summary>
    public async Task StopAsync() => await Host.StopAsync().WaitAsync(Wait.Default);

    public IReadOnlyList<RecordedRequest> Replies =>
        Fake.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<RecordedRequest> Callbacks =>
        Fake.Requests.Where(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync().WaitAsync(Wait.Default);
        }
        finally
        {
            Host.Dispose();
            await Fake.DisposeAsync();
        }
        if (Environment.GetEnvironmentVariable("DISCORD_TEST_LOGS") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, Guid.NewGuid().ToString("N") + ".log"),
                string.Join('\n', Fake.Connections.Select(c => $"conn {c.Path} closed={c.IsClosed} code={c.ClientCloseCode}")) + "\n" + Logs.Dump());
        }
        Assert.DoesNotContain(Logs.Entries, e => e.Message.Contains(Token, StringComparison.Ordinal));
    }
}
