using System.Collections.Concurrent;
using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseBot.Slack.Tests.Reliability;

/// <summary>
/// Issue 11, "Prove it: load", Slack's share: 1,000 questions through one Socket Mode link (app_mentions in 100
/// channels and <c>/casebot</c> commands answering through their response_url, chosen by a seeded random), 50 in
/// flight at a time, answered by the real engine, with a moderator's <c>/casebot reindex</c> (and a changed corpus)
/// half-way. The fake enforces chat.postMessage's "about one message per second per channel" (bursts of 3), and the
/// client paces itself by its shipped <c>Slack:ChannelMessageInterval</c> (1 s). On the real clock: the pacing costs
/// real time, so the latencies printed include it. With 100 channels and ~650 mentions, each channel gets 6–7 answers:
/// at one a second, the run cannot finish in under about 6 s.
/// </summary>
[Collection(nameof(SlackLoadTests))]
public sealed class SlackLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = ReliabilityRun.Seed;
    private const int Total = ReliabilityRun.LoadTotal;
    private const int InFlight = ReliabilityRun.LoadInFlight;
    private const int Channels = 100;
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);

    private readonly string _corpus = RepoPaths.CopyOfCorpus();
    private readonly string _index = RepoPaths.NewTempIndex();

    [Fact]
    public async Task A_thousand_questions_50_in_flight_across_a_reindex_are_each_answered_once_without_overrunning_a_channel()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.ChannelInterval = TimeSpan.FromSeconds(1); // Slack: about 1 per second per channel, bursts of 3
        var metrics = new RecordingMetrics();
        var engine = new Dictionary<string, string?> { ["CaseBot:CorpusPath"] = _corpus, ["CaseBot:IndexPath"] = _index };
        await using var host = await SlackTestHost.StartAsync(slack, null, s =>
        {
            foreach (var (k, v) in engine) s[k] = v;
            s["Slack:ChannelMessageInterval"] = "00:00:01"; // the shipped pacing
        }, services: sc => sc.AddSingleton<IBotMetrics>(metrics).AddCaseBotCore(new ConfigurationBuilder().AddInMemoryCollection(engine).Build()));
        var link = await slack.NextLinkAsync(TimeSpan.FromSeconds(60)); // the index is built at start-up
        await host.WaitConnectedAsync();

        var rng = new Random(Seed);
        var figures = new LoadFigures();
        using var slots = new SemaphoreSlim(InFlight);
        var pending = new ConcurrentDictionary<string, TimeSpan>(); // question key → when its envelope was sent
        var allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slack.OnPosted = call =>
        {
            if (SlackLoadQuestions.QuestionOf(call) is { } key && pending.TryRemove(key, out var sentAt))
            {
                figures.Completed(sentAt);
                slots.Release();
                if (figures.Count == Total) allAnswered.TrySetResult();
            }
        };
        var responseBase = SlackLoadQuestions.ResponseBase(slack);

        var asked = new List<string>();
        for (var n = 1; n <= Total; n++)
        {
            Assert.True(await slots.WaitAsync(RunBound), $"no answer freed a slot in {RunBound.TotalSeconds} s at question {n}");
            var (key, envelope) = SlackLoadQuestions.Next(rng, n, Channels, responseBase);
            asked.Add(key);
            pending[key] = figures.Now;
            await link.SendAsync(envelope);
            if (n == Total / 2)
            {
                // Half-way: a new document, and a moderator's /casebot reindex while 50 questions are in flight.
                File.WriteAllText(Path.Combine(_corpus, ReliabilityRun.NewDocumentFile), ReliabilityRun.NewDocumentText);
                await link.SendAsync(Fixture.Slash("env-reindex", "reindex", "U0MOD1", "C000"));
            }
        }
        try
        {
            await allAnswered.Task.WaitAsync(RunBound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{pending.Count} questions unanswered after {RunBound.TotalSeconds} s, e.g. {string.Join(", ", pending.Keys.Take(5))}; " +
                        string.Join(" / ", host.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).TakeLast(5)));
        }
        var reindexed = await slack.Calls.WaitForAsync(c => c.Method == "chat.postEphemeral" && c.BodyJson.Contains("Reindexed", StringComparison.Ordinal), RunBound);
        await host.Host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token); // in-flight work finishes: the counts are final
        var answers = slack.Posted.Snapshot().GroupBy(SlackLoadQuestions.QuestionOf).Where(g => g.Key is not null).ToDictionary(g => g.Key!, g => g.Count());

        output.WriteLine($"seed {Seed}: {Total} questions ({asked.Count(a => !SlackLoadQuestions.IsSlashKey(a))} mentions in {Channels} channels, " +
                         $"{asked.Count(SlackLoadQuestions.IsSlashKey)} /casebot via response_url), {InFlight} in flight, " +
                         $"real engine, reindex half-way: {figures.Summary()}");
        output.WriteLine($"chat.postMessage calls {slack.CallsTo("chat.postMessage").Count}, rate-limit waits {metrics.RateLimitWaits.Count}, " +
                         $"channel-limit violations {slack.ChannelLimitViolations}; reindex: {reindexed.Str("text")}");
        Assert.All(asked, key => Assert.True(answers.GetValueOrDefault(key) == 1, $"question {key} got {answers.GetValueOrDefault(key)} answers"));
        Assert.Equal(Total, answers.Values.Sum());
        Assert.Equal(0, slack.ChannelLimitViolations);
        Assert.Equal(0, host.Client.ConnectionsOpened - 1); // one link throughout
        Assert.Contains("Reindexed", reindexed.Str("text"));
        Assert.Equal(6, host.Services.GetRequiredService<ICaseBot>().Documents.Count);

        var sweep = SlackSecrets.Sweep(host, slack, metrics, [link]);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    public void Dispose()
    {
        RepoPaths.DeleteQuietly(_corpus);
        RepoPaths.DeleteQuietly(_index);
    }
}

/// <summary>The load run goes alone, after the tests that run in parallel: its latencies and the heap it samples
/// (<see cref="GC.GetTotalMemory"/> is process-wide) are then its own, not shared with other tests.</summary>
[CollectionDefinition(nameof(SlackLoadTests), DisableParallelization = true)]
public sealed class SlackLoadCollection;
