using CaseBot.Core;
using CaseBot.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>
/// One CaseBot "process" as <c>casebot serve</c> composes it for Discord: its own generic host and DI container, its
/// own clock, and its own real engine (<c>AddCaseBotCore</c>) built from the repository's corpus into its own temp
/// index folder, then <c>AddDiscordAdapter</c> with the given settings. Several of them can share one
/// <see cref="FakeDiscord"/>; each reaches its REST API through its own <see cref="FakeDiscord.ApiBaseUrlFor"/> label.
/// </summary>
internal sealed class BotProcess : IAsyncDisposable
{
    /// <summary>Building the index is the slow part of a start; the corpus is five articles.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private bool _started;

    private BotProcess(string name, IHost host, LogSink logs, string indexPath)
    {
        Name = name;
        Host = host;
        Logs = logs;
        IndexPath = indexPath;
    }

    /// <summary>The label of this process's REST base URL: <see cref="RecordedRequest.Caller"/> of what it sent.</summary>
    public string Name { get; }
    public IHost Host { get; }
    public LogSink Logs { get; }
    public string IndexPath { get; }
    public ICaseBot Engine => Host.Services.GetRequiredService<ICaseBot>();
    public IChatAdapter Adapter => Host.Services.GetRequiredService<IChatAdapter>();
    public RecordingMetrics Metrics => (RecordingMetrics)Host.Services.GetRequiredService<IBotMetrics>();
    /// <summary>This process's virtual clock: it only moves when a test moves it.</summary>
    public FakeTimeProvider Clock => (FakeTimeProvider)Host.Services.GetRequiredService<TimeProvider>();

    /// <summary>Builds the host with the Discord settings in <paramref name="discord"/> (keys without the <c>Discord:</c>
    /// prefix; token, application id and the REST base URL are filled in) and, when <paramref name="start"/>, starts it.</summary>
    public static async Task<BotProcess> StartAsync(FakeDiscord fake, string name, IReadOnlyDictionary<string, string> discord, bool start = true)
    {
        var indexPath = RepoPaths.NewTempIndex();
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = DiscordTestRig.Token, // one bot, one token, however many processes
            ["Discord:ApplicationId"] = DiscordTestRig.ApplicationId,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrlFor(name),
            ["CaseBot:CorpusPath"] = RepoPaths.Corpus,
            ["CaseBot:IndexPath"] = indexPath,
        };
        foreach (var (key, value) in discord) settings["Discord:" + key] = value;

        var logs = new LogSink();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        // A virtual clock that never moves: no heartbeat or backoff timer fires, so the run is the same every time.
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)));
        builder.Services.AddSingleton<IBotMetrics, RecordingMetrics>();
        builder.Services.AddCaseBotCore(builder.Configuration);
        Assert.True(builder.Services.AddDiscordAdapter(builder.Configuration));

        var process = new BotProcess(name, builder.Build(), logs, indexPath);
        if (start)
        {
            try
            {
                await process.StartHostAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
        return process;
    }

    /// <summary>Starts the host (options validation, index build, adapter start), bounded.</summary>
    public async Task StartHostAsync()
    {
        try
        {
            await Host.StartAsync().WaitAsync(StartTimeout);
            _started = true;
        }
        catch (TimeoutException)
        {
            // Part of it may be running: make sure it is stopped when disposed.
            _started = true;
            throw;
        }
    }

    /// <summary>Stops the host, which waits for in-flight answers: afterwards what it sent is final.</summary>
    public Task StopAsync() => Host.StopAsync().WaitAsync(Wait.Default);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A host whose start failed validation has nothing to stop (and Host.StopAsync would throw).
            if (_started) await StopAsync();
        }
        finally
        {
            Host.Dispose();
            RepoPaths.DeleteQuietly(IndexPath);
        }
        Assert.DoesNotContain(Logs.Entries, e => e.Message.Contains(DiscordTestRig.Token, StringComparison.Ordinal));
    }
}
