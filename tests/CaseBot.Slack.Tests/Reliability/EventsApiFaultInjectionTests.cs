using System.Text.Json.Nodes;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CaseBot.Slack.Tests.Reliability;

/// <summary>
/// Issue 11, "Prove it", Slack's HTTP Events API: Slack's side POSTs a seeded sequence of app_mention events, signed,
/// to the real HTTP route (<c>POST /slack/events</c> on loopback Kestrel), on a fake clock. Slack's own retry is
/// played as documented: when a request does not come back 2xx within 3 s — the reply was lost or late
/// (<c>http_timeout</c>) after the app had the event, or the connection failed before it reached the app
/// (<c>connection_failed</c>) — the event is sent again with <c>X-Slack-Retry-Num</c> and <c>X-Slack-Retry-Reason</c>,
/// at once, a minute later and five minutes later, then given up. chat.postMessage meanwhile meets 429 with
/// <c>Retry-After</c>, 500, 502, a reply past the client's timeout, and the ambiguous faults: Slack posts the message
/// and then answers 500, or posts it and replies too late. The fake enforces chat.postMessage's per-channel limit and
/// Tier 3 on the conversation reads, and processes only what it should, so a doubled or lost answer is the bot's.
/// Runs alone (the load collection): it steps a fake clock against real work, so a busy neighbour would stretch its
/// virtual timings.
/// </summary>
[Collection(nameof(SlackLoadTests))]
public sealed class EventsApiFaultInjectionTests(ITestOutputHelper output)
{
    private const int Seed = ReliabilityRun.Seed;
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(3);
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(30);
    /// <summary>The client's HTTP timeout (real time); a slow fault replies after twice that. Long enough that a
    /// conversation read on a loaded machine does not time out by itself.</summary>
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(2);
    /// <summary>chat.postMessage tries per answer: one, 3 rate-limit retries, 2 transient retries (the defaults).</summary>
    private const int MaxTries = 6;
    private const int Channels = 8;
    /// <summary>Slack's retries of one event: at once, after 1 minute, after 5 minutes.</summary>
    private static readonly TimeSpan[] SlackRetryDelays = [TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    private static int EventCount => ReliabilityRun.FaultCount;

    /// <summary>How one delivery attempt of an event ends on Slack's side.</summary>
    private enum Delivery { Ok, ReplyLost, ConnectionFailed }

    [Fact]
    public async Task Every_delivered_event_is_answered_exactly_once_through_slack_retries_and_web_api_faults()
    {
        await using var slack = await FakeSlack.StartAsync();
        var clock = new FakeTimeProvider(Start);
        slack.Clock = clock;
        slack.ChannelInterval = TimeSpan.FromSeconds(1); // Slack: about 1 per second per channel, bursts of 3
        slack.ReadInterval = SlackWebApiClient.Tier3Interval; // conversations.history / .replies: 50 a minute, bursts of 5
        var metrics = new RecordingMetrics();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), s =>
        {
            s.Remove("Slack:AppToken"); // HTTP mode
            s["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
            // The shipped pacing and retry settings, on the fake clock.
            s["Slack:TransientRetryBaseDelay"] = "00:00:00.5";
            s["Slack:TransientRetryMaxDelay"] = "00:00:02";
            s["Slack:ChannelMessageInterval"] = "00:00:01";
        }, clock, s =>
        {
            s.AddSingleton<IBotMetrics>(metrics);
            SlackTestHost.WebApiTimeout(s, HttpTimeout);
        });
        await using var route = await SlackHttpRoute.StartAsync(host.Http);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var run = new SlackSide(slack, route, http, clock, new Random(Seed));
        slack.FaultFor = run.Posts.FaultFor;

        try
        {
            while (run.Events.Count < EventCount) await run.RoundAsync(EventCount - run.Events.Count);
            await run.FinishAsync(host);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{run.Unsettled(host)}", ex);
        }

        var answers = run.Posts.AnswerCounts();
        var delivered = run.Events.Values.Where(e => e.ReachedApp).ToList();
        var checks = slack.Calls.Snapshot().Count(c => c.Method.StartsWith("conversations.", StringComparison.Ordinal));
        output.WriteLine($"seed {Seed}, {EventCount} events, {(clock.GetUtcNow() - Start).TotalMinutes:F1} virtual minutes: {run.Describe()}");
        output.WriteLine($"events {run.Events.Count}, delivered {delivered.Count}, answered once {answers.Count(a => a.Value == 1)}, " +
                         $"requests {run.Requests.Count} (status {string.Join(", ", run.Requests.GroupBy(r => r).Select(g => $"{g.Key} × {g.Count()}"))}), " +
                         $"redeliveries logged by the app {host.Logs.Lines.Count(l => l.Contains("Slack redelivery", StringComparison.Ordinal))}, " +
                         $"chat.postMessage calls {slack.CallsTo("chat.postMessage").Count} for {slack.Posted.Snapshot().Count} posts, " +
                         $"rate-limit waits {metrics.RateLimitWaits.Count} (longest {metrics.RateLimitWaits.DefaultIfEmpty().Max().TotalSeconds:F1} s), " +
                         $"transient retries {host.Logs.Lines.Count(l => l.Contains("chat.postMessage failed (", StringComparison.Ordinal) && l.Contains("; retrying in", StringComparison.Ordinal))} " +
                         $"(timeouts {host.Logs.Lines.Count(l => l.Contains("chat.postMessage failed (no answer in time); retrying", StringComparison.Ordinal))}), " +
                         $"conversation checks {checks}, posts found after an ambiguous failure {host.Logs.Lines.Count(l => l.Contains("not posting it again", StringComparison.Ordinal))}, " +
                         $"channel-limit violations {slack.ChannelLimitViolations}, Tier 3 violations {slack.ReadLimitViolations}, " +
                         $"most chat.postMessage tries for one answer {run.Posts.TriesPerQuestion().Values.DefaultIfEmpty().Max()}");

        Assert.All(run.Requests, status => Assert.Equal(200, status)); // every request that reached the app got its 2xx at once
        Assert.All(delivered, e => Assert.True(answers.GetValueOrDefault(e.Ts) == 1, $"event {e.EventId} got {answers.GetValueOrDefault(e.Ts)} answers"));
        Assert.All(run.Events.Values.Where(e => !e.ReachedApp), e => Assert.Equal(0, answers.GetValueOrDefault(e.Ts)));
        Assert.Equal(delivered.Count, slack.Posted.Snapshot().Count);
        Assert.All(run.Events.Values, e => Assert.InRange(e.Attempts, 1, 1 + SlackRetryDelays.Length)); // Slack's retries are bounded
        Assert.Equal(run.RetriesThatReachedApp, host.Logs.Lines.Count(l => l.Contains("Slack redelivery", StringComparison.Ordinal)));
        Assert.All(run.Posts.TriesPerQuestion(), t => Assert.InRange(t.Value, 1, MaxTries));
        Assert.Equal(0, slack.ChannelLimitViolations);
        Assert.Equal(0, slack.ReadLimitViolations);
        Assert.True(run.Posts.Served(PostFault.PostedThen500) + run.Posts.Served(PostFault.PostedThenSlow) > 0, run.Describe());
        Assert.True(run.Counts.GetValueOrDefault("delivery ReplyLost") > 0 && run.Counts.GetValueOrDefault("delivery ConnectionFailed") > 0, run.Describe());
        var sweep = SlackSecrets.Sweep(host, slack, metrics, []).Add("HTTP replies", run.Replies);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    /// <summary>One event (an app_mention) as Slack tracks it.</summary>
    private sealed class SlackEvent(string ts, string eventId, string body, Queue<Delivery> plan)
    {
        public string Ts { get; } = ts;
        public string EventId { get; } = eventId;
        public string Body { get; } = body;
        public Queue<Delivery> Plan { get; } = plan;
        public int Attempts { get; set; }
        public string? LastReason { get; set; }
        public DateTimeOffset? RetryAt { get; set; }
        /// <summary>At least one request reached the app (and got a 2xx, seen by Slack or not).</summary>
        public bool ReachedApp { get; set; }
    }

    /// <summary>Slack's side of the run: the events, their delivery attempts and retries, and the planned API faults.</summary>
    private sealed class SlackSide(FakeSlack slack, SlackHttpRoute route, HttpClient http, FakeTimeProvider clock, Random rng)
    {
        private int _next;
        /// <summary>chat.postMessage's planned faults, the ambiguous ones included.</summary>
        public PlannedPostFaults Posts { get; } = new(slack, rng, HttpTimeout, ambiguous: true);
        public Dictionary<string, SlackEvent> Events { get; } = [];
        public Dictionary<string, int> Counts { get; } = [];
        public List<int> Requests { get; } = [];
        public List<string> Replies { get; } = [];
        public int RetriesThatReachedApp { get; private set; }

        /// <summary>1–3 new events (at most <paramref name="left"/>), the retries that are due, then 0.5–3 s of virtual time.</summary>
        public async Task RoundAsync(int left)
        {
            foreach (var e in Enumerable.Range(0, Math.Min(left, rng.Next(1, 4))).Select(_ => NewEvent()).ToList()) await DeliverAsync(e);
            await DeliverDueRetriesAsync();
            var steps = rng.Next(1, 7); // 0.5–3 s of virtual time to the next events
            for (var i = 0; i < steps; i++)
            {
                clock.Advance(Step);
                await Task.Delay(Pause);
            }
        }

        /// <summary>Slack's retries play out; then every event that reached the app must be answered.</summary>
        public async Task FinishAsync(SlackTestHost host)
        {
            var deadline = DateTime.UtcNow + RealTimeout;
            while (true)
            {
                await DeliverDueRetriesAsync();
                if (Events.Values.All(e => e.RetryAt is null) && Settled(host)) return;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Unsettled at the end (virtual clock at {clock.GetUtcNow():O})");
                clock.Advance(Step);
                await Task.Delay(Pause);
            }
        }

        private bool Settled(SlackTestHost host)
        {
            var answers = Posts.AnswerCounts();
            return Events.Values.Where(e => e.ReachedApp).All(e => answers.ContainsKey(e.Ts)) && slack.ScriptedPending == 0
                   && host.Queue.Completed >= RequestsToApp;
        }

        private int RequestsToApp => Requests.Count(s => s == 200);

        private async Task DeliverDueRetriesAsync()
        {
            foreach (var e in Events.Values.Where(e => e.RetryAt is { } at && at <= clock.GetUtcNow()).OrderBy(e => e.RetryAt).ToList())
                await DeliverAsync(e);
        }

        /// <summary>One attempt: as planned, the request fails before the app (connection_failed), or reaches it and
        /// its reply is lost to Slack (http_timeout), or succeeds. A failed attempt is retried on Slack's schedule,
        /// up to 3 times.</summary>
        private async Task DeliverAsync(SlackEvent e)
        {
            var retry = e.Attempts++;
            e.RetryAt = null;
            var kind = e.Plan.TryDequeue(out var planned) ? planned : Delivery.Ok;
            Count("delivery " + kind);
            if (retry > 0) Count($"Slack retry {retry}");
            var ok = false;
            if (kind != Delivery.ConnectionFailed)
            {
                using var request = route.Signed(e.Body, SlackTestHost.SigningSecret, clock.GetUtcNow(), retry > 0 ? retry : null, e.LastReason);
                using var response = await http.SendAsync(request);
                Requests.Add((int)response.StatusCode);
                Replies.Add(await response.Content.ReadAsStringAsync());
                if (response.IsSuccessStatusCode)
                {
                    e.ReachedApp = true;
                    if (retry > 0) RetriesThatReachedApp++;
                }
                ok = response.IsSuccessStatusCode && kind == Delivery.Ok;
                e.LastReason = response.IsSuccessStatusCode ? "http_timeout" : "http_error";
            }
            else
            {
                e.LastReason = "connection_failed";
            }
            if (ok) return;
            if (retry < SlackRetryDelays.Length) e.RetryAt = clock.GetUtcNow() + SlackRetryDelays[retry];
            else Count("given up by Slack");
        }

        private SlackEvent NewEvent()
        {
            var n = ++_next;
            var ts = $"{1_700_000_000 + n}.000100";
            var payload = Fixture.Mention($"env-{n}", $"EvH{n}", $"why was the contract blocked? #{n}", ts)["payload"]!.AsObject();
            var ev = payload["event"]!.AsObject();
            ev["channel"] = $"C{rng.Next(Channels):000}";
            ev["user"] = $"U{n % 50:000}";
            // 60 % delivered at once; else 1–4 failed attempts first (4: Slack gives up), each a lost reply or a
            // failed connection.
            var failures = rng.Next(100) switch { < 60 => 0, < 82 => 1, < 92 => 2, < 97 => 3, _ => 4 };
            var plan = new Queue<Delivery>(Enumerable.Range(0, failures).Select(_ => rng.Next(2) == 0 ? Delivery.ReplyLost : Delivery.ConnectionFailed));
            Posts.Plan(ts);
            var e = new SlackEvent(ts, $"EvH{n}", payload.ToJsonString(), plan);
            Events[ts] = e;
            return e;
        }

        public string Unsettled(SlackTestHost host)
        {
            var answers = Posts.AnswerCounts();
            return string.Join("; ", Events.Values.Where(e => (e.ReachedApp && !answers.ContainsKey(e.Ts)) || e.RetryAt is not null).Take(10)
                       .Select(e => $"{e.EventId} attempts {e.Attempts} reached {e.ReachedApp} retry at {e.RetryAt:O} answers {answers.GetValueOrDefault(e.Ts)}"))
                   + $" | scripted pending {slack.ScriptedPending}, queue completed {host.Queue.Completed}/{RequestsToApp}, logs: "
                   + string.Join(" / ", host.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).TakeLast(8));
        }

        private void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;

        public string Describe() => string.Join(", ", Counts.Concat(Posts.ServedCounts())
            .OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));
    }
}
