using System.Collections.Concurrent;
using CaseBot.Core;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseBot.Discord.Tests.Reliability;

/// <summary>
/// Issue 11, "Prove it: load", Discord's share: 1,000 questions through the gateway (mentions in 100 channels and
/// <c>/ask</c> commands, chosen by a seeded random), 50 in flight at a time, answered by the real engine, with a
/// moderator's <c>/reindex</c> (and a changed corpus) half-way. The fake enforces Discord's Create Message bucket
/// (5 per 5 s per channel) and the client paces itself by Discord's global 50 requests per second.
/// This run is on the real clock: the limits cost real time, so the latencies it prints include the real pacing.
/// With 100 channels the per-channel limit alone would allow 100 messages a second; the global limit (50 a second)
/// is what bounds the run, about 13 s for its ~670 channel replies.
/// </summary>
[Collection(nameof(DiscordLoadTests))]
public sealed class DiscordLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = ReliabilityRun.Seed;
    private const int Total = ReliabilityRun.LoadTotal;
    private const int InFlight = ReliabilityRun.LoadInFlight;
    private const int Channels = 100;
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(90);

    private readonly string _corpus = RepoPaths.CopyOfCorpus();
    private readonly string _index = RepoPaths.NewTempIndex();

    [Fact]
    public async Task A_thousand_questions_50_in_flight_across_a_reindex_are_each_answered_once_without_overrunning_a_channel_bucket()
    {
        await using var rig = await DiscordTestRig.StartAsync(s =>
        {
            s["CaseBot:CorpusPath"] = _corpus;
            s["CaseBot:IndexPath"] = _index;
        }, realEngine: true, time: TimeProvider.System);
        rig.Fake.ChannelBucketLimit = 5; // Discord's Create Message: 5 per 5 s per channel
        var (gateway, _) = await rig.ConnectAsync();
        var rng = new Random(Seed);
        var figures = new LoadFigures();
        using var slots = new SemaphoreSlim(InFlight);
        var pending = new ConcurrentDictionary<string, TimeSpan>(); // question id → when it was sent
        var interactionOfToken = new ConcurrentDictionary<string, string>();
        var asked = new List<string>();
        var allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Fake.OnServed = (request, status) =>
        {
            if (status is >= 200 and < 300 && DiscordAnswers.QuestionOf(request, t => interactionOfToken.GetValueOrDefault(t)) is { } id
                && pending.TryRemove(id, out var sentAt))
            {
                figures.Completed(sentAt);
                slots.Release();
                if (figures.Count == Total) allAnswered.TrySetResult();
            }
        };

        long sequence = 1; // READY was 1
        for (var n = 1; n <= Total; n++)
        {
            await slots.WaitAsync(RunBound);
            var (id, frame, token) = DiscordLoadQuestions.Next(rng, n, ++sequence, Channels);
            if (token is not null) interactionOfToken[token] = id;
            asked.Add(id);
            pending[id] = figures.Now;
            await gateway.SendAsync(frame);
            if (n == Total / 2)
            {
                // Half-way: a new document, and a moderator's /reindex from chat while 50 questions are in flight.
                File.WriteAllText(Path.Combine(_corpus, ReliabilityRun.NewDocumentFile), ReliabilityRun.NewDocumentText);
                await gateway.SendAsync(Events.Interaction(++sequence, Events.Command("reindex", id: "3000000", token: "reindex-token")));
            }
        }
        try
        {
            await allAnswered.Task.WaitAsync(RunBound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{pending.Count} questions unanswered after {RunBound.TotalSeconds} s, e.g. {string.Join(", ", pending.Keys.Take(5))}; " +
                        string.Join(" / ", rig.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).TakeLast(5).Select(e => e.Message)));
        }
        var reindexed = await rig.Fake.WaitForRequestAsync(r => r.Method == "PATCH" && r.Path.Contains("/reindex-token/"), RunBound);
        await rig.StopAsync(); // in-flight work finishes: the counts are final
        var answers = DiscordAnswers.Count(rig.Fake.Served, t => interactionOfToken.GetValueOrDefault(t));

        output.WriteLine($"seed {Seed}: {Total} questions ({asked.Count(a => a.StartsWith('1'))} mentions in {Channels} channels, " +
                         $"{asked.Count(a => a.StartsWith('2'))} /ask), {InFlight} in flight, real engine, reindex half-way: {figures.Summary()}");
        output.WriteLine($"rate-limit waits {rig.Metrics.RateLimitWaits.Count} (longest {rig.Metrics.RateLimitWaits.DefaultIfEmpty().Max().TotalSeconds:F2} s), " +
                         $"deferred /ask {rig.Callbacks.Count(c => (int?)c.Json?["type"] == 5) - 1}, bucket violations {rig.Fake.BucketViolations}; " +
                         $"reindex: {(string?)reindexed.Json?["content"]}");
        Assert.All(asked, id => Assert.True(answers.GetValueOrDefault(id) == 1, $"question {id} got {answers.GetValueOrDefault(id)} answers"));
        Assert.Equal(Total, answers.Values.Sum());
        Assert.Equal(0, rig.Fake.BucketViolations);
        // At most one global and one bucket wait per request: the metric counted every wake-up before (about 250 per
        // reply), and a sub-millisecond wait, truncated to 0 by the timer, spun and counted thousands more.
        Assert.InRange(rig.Metrics.RateLimitWaits.Count, 1, 2 * rig.Fake.Requests.Count);
        Assert.StartsWith("Reindexed", (string?)reindexed.Json?["content"]);
        Assert.Equal(6, rig.Host.Services.GetRequiredService<ICaseBot>().Documents.Count);

        var sweep = DiscordSecrets.Sweep(rig);
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
[CollectionDefinition(nameof(DiscordLoadTests), DisableParallelization = true)]
public sealed class DiscordLoadCollection;
