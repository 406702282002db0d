using System.Text.Json.Nodes;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CaseBot.Slack.Tests.Reliability;

/// <summary>
/// Issue 11, "Prove it", Slack's share: the fake Slack plays a hostile platform for a whole run, on a fake clock. Every
/// link ends in a fault chosen by a seeded random (a drop before <c>hello</c>, a drop mid-envelope before or after the
/// ack, <c>disconnect</c> envelopes — <c>refresh_requested</c>, <c>warning</c>, <c>too_many_websockets</c> — in the
/// middle of a batch), while chat.postMessage meets 429 with <c>Retry-After</c>, 500, 502 or a reply slower than the
/// client's timeout. Slack's side is modelled as the docs describe it: an envelope not acknowledged is delivered again
/// on a later link (new envelope id, same <c>event_id</c>, <c>retry_attempt</c> set), and now and then an acknowledged
/// one is too (at-least-once). The fake enforces chat.postMessage's per-channel limit, and its faults are never
/// processed (a 5xx or a late reply posts nothing), so a doubled answer is the bot's fault. The run ends with
/// <c>link_disabled</c> and a host stop (SIGTERM) while questions are in flight.
/// Runs alone (the load collection): it steps a fake clock against real work, so a busy neighbour would stretch its
/// virtual timings.
/// </summary>
[Collection(nameof(SlackLoadTests))]
public sealed class SocketModeFaultInjectionTests(ITestOutputHelper output)
{
    private const int Seed = ReliabilityRun.Seed;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    /// <summary>Real time between clock steps: enough for loopback work, short enough for 100 faults in well under a minute.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(3);
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(20);
    /// <summary>Client's HTTP timeout (real time); a slow fault answers after twice that.</summary>
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromMilliseconds(500);
    /// <summary>From a link's end to the next link: the backoff cap (30 s here) and a little slack.</summary>
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(40);
    /// <summary>chat.postMessage tries per answer: one, 3 rate-limit retries, 2 transient retries (the options' defaults).</summary>
    private const int MaxTries = 6;
    private const int Channels = 8;

    /// <summary>Faults in one run: 100 by default, <c>CASEBOT_FAULTS</c> to change it.</summary>
    private static int FaultCount => ReliabilityRun.FaultCount;

    private enum Fault { DropBeforeHello, DropBeforeAck, DropAfterAck, Drop, RefreshRequested, Warning, TooManyWebsockets }

    [Fact]
    public async Task Every_acknowledged_question_is_answered_exactly_once_through_socket_and_web_api_faults_and_a_stop()
    {
        await using var slack = await FakeSlack.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Clock = clock;
        slack.AutoHello = _ => false; // the driver says hello, or drops the link first
        slack.ChannelInterval = TimeSpan.FromSeconds(1); // Slack: about 1 per second per channel, bursts of 3
        var metrics = new RecordingMetrics();
        var bot = new FakeCaseBot();
        await using var host = await SlackTestHost.StartAsync(slack, bot, s =>
        {
            // The shipped pacing and retry settings, on the fake clock; only the backoff cap is shortened (2 min → 30 s).
            s["Slack:ReconnectBaseDelay"] = "00:00:01";
            s["Slack:ReconnectMaxDelay"] = "00:00:30";
            s["Slack:TransientRetryBaseDelay"] = "00:00:00.5";
            s["Slack:TransientRetryMaxDelay"] = "00:00:02";
            s["Slack:ChannelMessageInterval"] = "00:00:01";
        }, clock, s =>
        {
            s.AddSingleton<IBotMetrics>(metrics);
            SlackTestHost.WebApiTimeout(s, HttpTimeout);
        });
        var chaos = new Chaos(slack, host, clock, bot, new Random(Seed));
        slack.FaultFor = chaos.Posts.FaultFor;

        try
        {
            for (var round = 0; round < FaultCount; round++)
                await chaos.RoundAsync((Fault)chaos.Rng.Next(Enum.GetValues<Fault>().Length));
            await chaos.FinishAsync();
            await chaos.LinkDisabledAndStopWithQuestionsInFlightAsync();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{chaos.Unanswered()}", ex);
        }

        var answers = chaos.Posts.AnswerCounts();
        var acked = chaos.Acknowledged();
        output.WriteLine($"seed {Seed}, {FaultCount} faults, {(clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMinutes:F1} virtual minutes: {chaos.Describe()}");
        output.WriteLine($"questions {chaos.Questions.Count}, acknowledged {acked.Count}, answered once {answers.Count(a => a.Value == 1)}, " +
                         $"links {slack.Links.Snapshot().Count}, reconnects (metric) {metrics.Reconnects}, " +
                         $"disconnect envelopes handled {host.Logs.Lines.Count(l => l.Contains(": disconnect (", StringComparison.Ordinal))}, " +
                         $"chat.postMessage calls {slack.CallsTo("chat.postMessage").Count} for {slack.Posted.Snapshot().Count} posts, " +
                         $"rate-limit waits {metrics.RateLimitWaits.Count} (longest {metrics.RateLimitWaits.DefaultIfEmpty().Max().TotalSeconds:F1} s), " +
                         $"transient retries {host.Logs.Lines.Count(l => l.Contains("chat.postMessage failed (", StringComparison.Ordinal))}, " +
                         $"longest time from a link's end to the next link {chaos.LongestReconnect.TotalSeconds:F1} s (virtual), channel-limit violations {slack.ChannelLimitViolations}");

        Assert.Equal(chaos.Questions.Count, acked.Count); // every question delivered was acknowledged in the end
        Assert.All(acked, ts => Assert.True(answers.GetValueOrDefault(ts) == 1, $"question {ts} got {answers.GetValueOrDefault(ts)} answers"));
        Assert.Equal(acked.Count, slack.Posted.Snapshot().Count);
        Assert.Equal(0, slack.ChannelLimitViolations);
        Assert.InRange(chaos.LongestReconnect, TimeSpan.Zero, ReconnectBound);
        Assert.All(chaos.Posts.TriesPerQuestion(), t => Assert.InRange(t.Value, 1, MaxTries));
        Assert.True(chaos.Counts.Values.Sum() >= FaultCount);
        Assert.True(chaos.ApiFaultsServed > 0, chaos.Describe());
        Assert.DoesNotContain(slack.CallsTo("apps.connections.open"), c => c.Seq > chaos.LinkDisabledAt); // no reconnect after link_disabled
        Assert.Contains("link_disabled", host.Client.StopReason);
        var sweep = SlackSecrets.Sweep(host, slack, metrics, slack.Links.Snapshot());
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    /// <summary>Slack's side of the run: the questions (one app_mention each), their envelopes, acks and answers.</summary>
    private sealed class Chaos(FakeSlack slack, SlackTestHost host, FakeTimeProvider clock, FakeCaseBot bot, Random rng)
    {
        private int _next;
        /// <summary>chat.postMessage's planned faults; never processed (a 5xx or a late reply posts nothing).</summary>
        public PlannedPostFaults Posts { get; } = new(slack, rng, HttpTimeout, ambiguous: false);
        private int _envelopes;
        private DateTimeOffset? _disconnectedAt;

        public Random Rng => rng;
        /// <summary>Question ts (its thread, so its answer's thread_ts) → the mention envelope last sent for it.</summary>
        public Dictionary<string, JsonObject> Questions { get; } = [];
        private readonly Dictionary<string, string> _questionOfEnvelope = [];
        private readonly Dictionary<string, DateTimeOffset> _firstDelivered = [];
        private static readonly TimeSpan RetryHorizon = TimeSpan.FromMinutes(5);
        public Dictionary<string, int> Counts { get; } = [];
        public TimeSpan LongestReconnect { get; private set; }
        public int LinkDisabledAt { get; private set; } = int.MaxValue;

        public async Task RoundAsync(Fault fault)
        {
            Count(fault.ToString());
            var link = await AcceptAsync();
            if (fault == Fault.DropBeforeHello)
            {
                Drop(link);
                return;
            }
            await HelloAsync(link);
            await RedeliverAsync(link);

            var batch = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => NewQuestion()).ToList();
            var disconnectAfter = rng.Next(batch.Count); // disconnect envelopes land mid-batch; the old link keeps delivering
            for (var i = 0; i < batch.Count; i++)
            {
                await DeliverAsync(link, batch[i]);
                if (i == disconnectAfter && fault is Fault.RefreshRequested or Fault.Warning or Fault.TooManyWebsockets)
                    await link.SendAsync(Fixture.Disconnect(fault switch
                    {
                        Fault.RefreshRequested => "refresh_requested",
                        Fault.Warning => "warning",
                        _ => "too_many_websockets",
                    }));
                if (fault == Fault.TooManyWebsockets && i == disconnectAfter) break; // the client closes at once: no more on this link
            }
            switch (fault)
            {
                case Fault.DropBeforeAck: // cut while the last envelope is in the wire: its ack may never arrive
                    Drop(link);
                    return;
                case Fault.DropAfterAck: // every envelope acknowledged, answers in flight
                    await clock.AdvanceUntilAsync(() => batch.All(IsAcked) || link.Closed.IsCompleted, Step, RealTimeout, Pause);
                    Drop(link);
                    return;
                case Fault.Drop: // half the time after the answers, half the time while they are posted
                    if (rng.Next(2) == 0)
                        await clock.AdvanceUntilAsync(() => batch.All(Answered) || link.Closed.IsCompleted, Step, RealTimeout, Pause);
                    Drop(link);
                    return;
                default: // a disconnect envelope: the client moves to a new link (refresh, warning) or closes first (too many)
                    if (fault == Fault.TooManyWebsockets)
                    {
                        await clock.AdvanceUntilAsync(() => link.Closed.IsCompleted, Step, RealTimeout, Pause);
                        _disconnectedAt = clock.GetUtcNow();
                    }
                    else
                    {
                        _disconnectedAt = null; // the old link keeps delivering until the new one is up: no gap
                    }
                    return;
            }
        }

        /// <summary>Healthy links (a new one whenever the client ends one): everything unacknowledged is delivered again
        /// until acknowledged, and everything acknowledged answered.</summary>
        public async Task FinishAsync()
        {
            var deadline = DateTime.UtcNow + RealTimeout;
            do
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Unsettled at the end");
                var link = await AcceptAsync();
                await HelloAsync(link);
                await RedeliverAsync(link);
                await clock.AdvanceUntilAsync(() => Settled() || link.Closed.IsCompleted, Step, deadline - DateTime.UtcNow, Pause);
            } while (!Settled());
        }

        /// <summary>Questions in flight (the engine held) when Slack sends <c>link_disabled</c> and then the host is
        /// stopped: the client stops without reconnecting, and every acknowledged question is still answered.</summary>
        public async Task LinkDisabledAndStopWithQuestionsInFlightAsync()
        {
            var link = slack.Links.Snapshot()[^1];
            bot.Hold();
            var batch = Enumerable.Range(0, 4).Select(_ => NewQuestion()).ToList();
            foreach (var q in batch) await DeliverAsync(link, q);
            await clock.AdvanceUntilAsync(() => batch.All(IsAcked), Step, RealTimeout, Pause);
            LinkDisabledAt = slack.Record("link_disabled");
            Count("link_disabled");
            await link.SendAsync(Fixture.Disconnect("link_disabled"));
            await clock.AdvanceUntilAsync(() => host.Client.StopReason is not null && link.Closed.IsCompleted, Step, RealTimeout, Pause);

            Count("host stop");
            var stopping = host.Host.StopAsync(new CancellationTokenSource(RealTimeout).Token);
            await TestSupport.Wait.UntilAsync(() => !host.Queue.CanAccept);
            bot.Release();
            // The drain budget (28 s) runs on the fake clock: small steps with real time between them, so the clock does
            // not outrun the real work of answering (a fake clock can spend a budget faster than any host would).
            await clock.AdvanceUntilAsync(() => stopping.IsCompleted, TimeSpan.FromMilliseconds(100), RealTimeout, TimeSpan.FromMilliseconds(10));
            await stopping;
            Assert.True(batch.All(Answered), "the questions held through link_disabled and the stop were answered");
        }

        private bool Settled()
        {
            var acked = AckedSet();
            var answers = Posts.AnswerCounts();
            return Questions.Keys.All(q => acked.Contains(q) && answers.ContainsKey(q)) && slack.ScriptedPending == 0;
        }

        /// <summary>The next link the client opened (one opened on a refresh may already be there).</summary>
        private async Task<FakeLink> AcceptAsync()
        {
            var index = _accepted++;
            await clock.AdvanceUntilAsync(() => slack.Links.Snapshot().Count > index, Step, RealTimeout, Pause);
            if (_disconnectedAt is { } at && clock.GetUtcNow() - at > LongestReconnect) LongestReconnect = clock.GetUtcNow() - at;
            _disconnectedAt = null;
            return slack.Links.Snapshot()[index];
        }

        private int _accepted;

        private async Task HelloAsync(FakeLink link)
        {
            await link.SendHelloAsync();
            await clock.AdvanceUntilAsync(() => host.Adapter.IsConnected || link.Closed.IsCompleted, Step, RealTimeout, Pause);
        }

        private void Drop(FakeLink link)
        {
            link.Abort();
            _disconnectedAt = clock.GetUtcNow();
        }

        /// <summary>What Slack delivers again on a new link: every question never acknowledged, and (at-least-once)
        /// now and then one that was, within Slack's retry horizon (its last retry comes 5 minutes on).</summary>
        private async Task RedeliverAsync(FakeLink link)
        {
            var acked = AckedSet();
            foreach (var ts in Questions.Keys.ToList())
            {
                if (acked.Contains(ts) && (clock.GetUtcNow() - _firstDelivered[ts] > RetryHorizon || rng.Next(10) != 0)) continue;
                Count(acked.Contains(ts) ? "redelivered after ack" : "redelivered unacknowledged");
                var env = Fixture.Redelivery(Questions[ts], $"env-{++_envelopes}", (int?)Questions[ts]["retry_attempt"] + 1 ?? 1);
                await DeliverAsync(link, (ts, env));
            }
        }

        private async Task DeliverAsync(FakeLink link, (string Ts, JsonObject Envelope) q)
        {
            Questions[q.Ts] = q.Envelope;
            _firstDelivered.TryAdd(q.Ts, clock.GetUtcNow());
            _questionOfEnvelope[q.Envelope["envelope_id"]!.GetValue<string>()] = q.Ts;
            await link.SendAsync(q.Envelope.DeepClone());
        }

        private (string Ts, JsonObject Envelope) NewQuestion()
        {
            var n = ++_next;
            var ts = $"{1_700_000_000 + n}.000100";
            var env = Fixture.Mention($"env-{++_envelopes}", $"Ev{n}", $"why was the contract blocked? #{n}", ts);
            var ev = env["payload"]!["event"]!.AsObject();
            ev["channel"] = $"C{rng.Next(Channels):000}";
            ev["user"] = $"U{n % 50:000}";
            Posts.Plan(ts);
            return (ts, env);
        }

        private bool IsAcked(string ts) => AckedSet().Contains(ts);

        /// <summary>Questions with at least one envelope whose ack reached Slack.</summary>
        private HashSet<string> AckedSet() =>
            slack.Links.Snapshot().SelectMany(l => l.Acks.Snapshot())
                .Select(a => _questionOfEnvelope.GetValueOrDefault(a["envelope_id"]?.GetValue<string>() ?? ""))
                .OfType<string>().ToHashSet();

        private bool IsAcked((string Ts, JsonObject Envelope) q) => IsAcked(q.Ts);

        private bool Answered((string Ts, JsonObject Envelope) q) => Answered(q.Ts);

        private bool Answered(string ts) => Posts.AnswerCounts().GetValueOrDefault(ts) > 0;

        public IReadOnlyList<string> Acknowledged() => Questions.Keys.Where(AckedSet().Contains).ToList();

        public string Unanswered() =>
            string.Join("; ", Questions.Keys.Where(q => !IsAcked(q) || !Answered(q)).Take(10).Select(q => $"{q} acked {IsAcked(q)} answered {Answered(q)}"))
            + $" | scripted pending {slack.ScriptedPending}, connected {host.Adapter.IsConnected}, gave up: "
            + string.Join(" / ", host.Logs.Lines.Where(l => l.Contains("giving up", StringComparison.Ordinal) || l.Contains("could not be sent", StringComparison.Ordinal)).TakeLast(6))
            + ", logs: "
            + string.Join(" / ", host.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).TakeLast(8));

        private void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;

        public int ApiFaultsServed => Posts.ServedTotal;

        public string Describe() => string.Join(", ", Counts.Concat(Posts.ServedCounts()).OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));
    }
}
