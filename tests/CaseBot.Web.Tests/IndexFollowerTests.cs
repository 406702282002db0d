using System.Text.Json;
using CaseBot.Core;
using CaseBot.Core.Indexing;
using CaseBot.Web.Moderation;
using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Web.Tests;

/// <summary>A reindex from any surface reaches every running serve on the same index folder (issue 11 item 10).</summary>
public sealed class IndexFollowerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _scratch = RepoPaths.NewTempFolder("casebot-follow");
    private string Corpus => Path.Combine(_scratch, "corpus");
    private string Index => Path.Combine(_scratch, "index");

    public IndexFollowerTests() => RepoPaths.CopyFolder(RepoPaths.Corpus, Corpus);

    public void Dispose() => RepoPaths.DeleteQuietly(_scratch);

    private void AddZebraArticle() =>
        File.WriteAllText(Path.Combine(Corpus, "005_zebra.txt"), "Zebra crossings outside City Hall were repainted in purple in June.");

    [Fact]
    public async Task The_periodic_check_picks_up_a_build_written_by_another_process_without_file_events()
    {
        using var engine = CaseBotService.Open(new CaseBotOptions { CorpusPath = Corpus, IndexPath = Index });
        var clock = new FakeTimeProvider();
        using var follower = new IndexFollower(engine, clock, NullLogger<IndexFollower>.Instance) { WatchEvents = false };
        var waiting = new SemaphoreSlim(0);
        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        follower.Waiting += () => waiting.Release();
        follower.Checked += s => { if (s) swapped.TrySetResult(); };
        await follower.StartAsync(CancellationToken.None);
        Assert.True(await waiting.WaitAsync(Wait));

        AddZebraArticle();
        new IndexStore(Index).Rebuild(Corpus); // `casebot reindex` in another process
        Assert.Equal(5, engine.Documents.Count); // nothing happens before the check is due
        clock.Advance(IndexFollower.PollInterval);

        await swapped.Task.WaitAsync(Wait);
        Assert.Equal(6, engine.Documents.Count);
        await follower.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_running_serve_answers_from_a_reindex_made_by_the_reindex_command()
    {
        await using var host = await RunningHost.StartAsync(corpusPath: Corpus);
        var index = JsonDocument.Parse(await host.Http.GetStringAsync("/api/status")).RootElement;
        Assert.Equal(5, index.GetProperty("documents").GetInt32());
        var follower = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IndexFollower>().Single();
        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        follower.Checked += s => { if (s) swapped.TrySetResult(); };

        AddZebraArticle();
        var engine = IndexFollower.EngineOf(host.Services.GetRequiredService<ICaseBot>())!;
        new IndexStore(engine.IndexRoot).Rebuild(Corpus);

        await swapped.Task.WaitAsync(Wait);
        var status = JsonDocument.Parse(await host.Http.GetStringAsync("/api/status")).RootElement;
        Assert.Equal(6, status.GetProperty("documents").GetInt32());
        var answer = JsonDocument.Parse(await host.Http.GetStringAsync("/api/ask?q=" + Uri.EscapeDataString("What colour were the zebra crossings repainted?"))).RootElement;
        Assert.Equal("005", answer.GetProperty("citations")[0].GetProperty("docId").GetString());
    }

    [Fact]
    public async Task Skipped_corpus_files_show_in_the_console_status_of_every_serve_on_the_index()
    {
        File.WriteAllBytes(Path.Combine(Corpus, "009_utf16.txt"), System.Text.Encoding.Unicode.GetBytes("The Met in UTF-16."));
        await using var host = await RunningHost.StartAsync(corpusPath: Corpus);

        var status = JsonDocument.Parse(await host.Http.GetStringAsync("/api/status")).RootElement;

        var skipped = status.GetProperty("skipped").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(skipped, s => s.StartsWith("009_utf16.txt") && s.Contains("UTF-8"));
    }
}
