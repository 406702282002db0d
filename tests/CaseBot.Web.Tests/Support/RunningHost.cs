using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Web.Tests.Support;

/// <summary>The real serve host on a real Kestrel at 127.0.0.1, port 0, optionally with a fake engine.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private readonly string _scratch;

    private RunningHost(WebApplication app, string scratch, string corpus)
    {
        App = app;
        _scratch = scratch;
        CorpusPath = corpus;
        BaseAddress = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => App.Services;
    public string CorpusPath { get; }

    /// <param name="engine">A fake engine, or null for the real one over a copy of the repo's corpus.</param>
    public static async Task<RunningHost> StartAsync(ICaseBot? engine = null, IEnumerable<string>? settings = null,
        IEnumerable<IChatAdapter>? adapters = null, string? corpusPath = null, HostSurfaces surfaces = HostSurfaces.All,
        Action<WebApplicationBuilder>? configure = null)
    {
        var scratch = RepoPaths.NewTempFolder("casebot-web-test");
        var corpus = corpusPath ?? Path.Combine(scratch, "corpus");
        if (corpusPath is null) RepoPaths.CopyFolder(RepoPaths.Corpus, corpus);
        var args = new List<string>
        {
            "--Web:Urls=http://127.0.0.1:0",
            $"--CaseBot:CorpusPath={corpus}",
            $"--CaseBot:IndexPath={Path.Combine(scratch, "index")}",
            $"--Insights:DataPath={Path.Combine(scratch, "data")}",
            "--Moderation:WatchCorpus=false",
            "--Moderation:QuestionsPerUser=1000",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(settings ?? []);
        var app = ServeHost.Build(args.ToArray(), surfaces, builder =>
        {
            if (engine is not null) builder.Services.AddSingleton(engine);
            foreach (var adapter in adapters ?? []) builder.Services.AddSingleton(adapter);
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await app.DisposeAsync();
            RepoPaths.DeleteQuietly(scratch);
            throw;
        }
        return new RunningHost(app, scratch, corpus);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try { await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(20)); } catch (OperationCanceledException) { }
        await App.DisposeAsync();
        RepoPaths.DeleteQuietly(_scratch);
    }
}
