using System.Collections.Concurrent;
using System.Diagnostics;
using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseBot.Slack.Tests.Reliability;

/// <summary>
/// Issue 11, "Prove it: load", the Slack adapter soak (the model is <c>DiscordSoakTests</c>): app_mentions through one
/// Socket Mode link without pause, answered by the real engine, with a changed corpus and a moderator's
/// <c>/casebot reindex</c> at a fixed interval; after each reindex the managed heap (after a full collection), the
/// process's open handles and the index's build folders are sampled. The fake enforces chat.postMessage's per-channel
/// limit and the client paces itself (1 s per channel), so 50 channels cap the rate at about 50 answers a second.
/// 20 s with a reindex every 5 s in CI; the 30-minute soak with a reindex every 5 minutes is
/// <c>CASEBOT_SOAK_SECONDS=1800 CASEBOT_SOAK_REINDEX_SECONDS=300 dotnet test tests/CaseBot.Slack.Tests -c Release --filter SlackSoakTests</c>.
/// </summary>
[Collection(nameof(SlackLoadTests))]
public sealed class SlackSoakTests(ITestOutputHelper output) : IDisposable
{
    private const int InFlight = 20;
    private const int Channels = 50;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly string _corpus = RepoPaths.CopyOfCorpus();
    private readonly string _index = RepoPaths.NewTempIndex();

    [Fact]
    public async Task Mentions_without_pause_across_repeated_reindexes_are_each_answered_once_with_memory_handles_and_builds_bounded()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.ChannelInterval = TimeSpan.FromSeconds(1); // Slack: about 1 per second per channel, bursts of 3
        var engine = new Dictionary<string, string?> { ["CaseBot:CorpusPath"] = _corpus, ["CaseBot:IndexPath"] = _index };
        await using var host = await SlackTestHost.StartAsync(slack, null, s =>
        {
            foreach (var (k, v) in engine) s[k] = v;
            s["Slack:ChannelMessageInterval"] = "00:00:01"; // the shipped pacing
        }, services: sc => sc.AddCaseBotCore(new ConfigurationBuilder().AddInMemoryCollection(engine).Build()));
        var link = await slack.NextLinkAsync(TimeSpan.FromSeconds(60)); // the index is built at start-up
        await host.WaitConnectedAsync();

        var answers = new ConcurrentDictionary<string, int>();
        var pending = new ConcurrentDictionary<string, byte>();
        using var slots = new SemaphoreSlim(InFlight);
        slack.OnPosted = call =>
        {
            if (call.Str("thread_ts") is not { } question) return;
            answers.AddOrUpdate(question, 1, (_, n) => n + 1);
            if (pending.TryRemove(question, out _)) slots.Release();
        };

        var samples = new SoakSamples(_index);
        var clock = Stopwatch.StartNew();
        samples.Take(clock.Elapsed);
        long n = 0;
        var reindexes = 0;
        var nextReindex = SoakSamples.ReindexEvery;
        while (clock.Elapsed < SoakSamples.Duration)
        {
            Assert.True(await slots.WaitAsync(Bound), $"no answer for {Bound.TotalSeconds} s; {pending.Count} pending");
            n++;
            var ts = $"{1_700_000_000 + n}.000100";
            pending[ts] = 0;
            var envelope = Fixture.Mention($"env-{n}", $"Ev{n}", $"Who co-founded Palantir? #{n}", ts);
            var ev = envelope["payload"]!["event"]!.AsObject();
            ev["channel"] = $"C{n % Channels:000}";
            ev["user"] = $"U{1000 + n % 500}"; // never U111, CaseBot itself
            await link.SendAsync(envelope);
            if (clock.Elapsed < nextReindex) continue;
            // A changed corpus and a moderator's /casebot reindex while questions keep coming.
            reindexes++;
            File.WriteAllText(Path.Combine(_corpus, "005_soak.txt"), $"Soak note {reindexes}: the zebra crossings outside City Hall were repainted.");
            await link.SendAsync(Fixture.Slash($"env-reindex-{reindexes}", "reindex", "U0MOD1", "C000"));
            await slack.Calls.WaitForAsync(c => c.Method == "chat.postEphemeral" && c.BodyJson.Contains("Reindexed", StringComparison.Ordinal), Bound);
            Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
            // The fake's and the log sink's records go, so the sample is the bot's.
            slack.ForgetRecorded();
            host.Logs.Lines.Clear();
            samples.Take(clock.Elapsed);
            nextReindex = clock.Elapsed + SoakSamples.ReindexEvery;
        }
        await Wait.UntilAsync(() => pending.IsEmpty, Bound);
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        // As at each reindex: the closing sample is the bot's, not the fake's and the log sink's records since the
        // last reindex (up to an interval's worth: in a 30-minute run they alone filled over 100 MB and broke the bound).
        slack.ForgetRecorded();
        host.Logs.Lines.Clear();
        samples.Take(clock.Elapsed);

        foreach (var line in samples.Lines()) output.WriteLine(line);
        output.WriteLine($"{n} questions, {reindexes} reindexes in {clock.Elapsed.TotalSeconds:F0} s; channel-limit violations {slack.ChannelLimitViolations}; " +
                         $"links opened {host.Client.ConnectionsOpened}");
        Assert.True(reindexes >= 2, $"only {reindexes} reindexes");
        Assert.Equal(n, answers.Count);
        Assert.All(answers, a => Assert.Equal(1, a.Value));
        Assert.Equal(0, slack.ChannelLimitViolations);
        Assert.Empty(samples.Unbounded()); // heap, handles and build folders within their bounds
    }

    public void Dispose()
    {
        RepoPaths.DeleteQuietly(_corpus);
        RepoPaths.DeleteQuietly(_index);
    }
}
