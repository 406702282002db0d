using System.Text.Json.Nodes;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseBot.Discord.Tests.Reliability;

/// <summary>
/// Issue 11, "Prove it": the fake Discord plays a hostile platform for a whole run. Every connection ends in a fault
/// chosen by a seeded random (drop before Hello, after Identify/Resume, mid-dispatch; withheld heartbeat ACKs; op 7;
/// op 9 resumable or not; a server close), while REST answers some Create Message calls with 429s (bucket, shared,
/// global), 500, 502 or a reply slower than the client's timeout, and some <c>/ask</c> answers are slow enough for
/// the deferred path. Discord's side is modelled faithfully: a resume replays the session's events after the client's
/// sequence; a fresh session re-delivers what is still unanswered (as a platform retry would, with the same ids).
/// </summary>
public sealed class GatewayFaultInjectionTests(ITestOutputHelper output)
{
    private const int Seed = ReliabilityRun.Seed;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    /// <summary>Real time between clock steps: enough for loopback work, short enough for 100 faults in well under a minute.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(3);
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(20);
    /// <summary>A reconnect after any of these faults: backoff cap (60 s) + Identify spacing (5 s) + op 9's 1–5 s + slack.</summary>
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(90);

    /// <summary>Faults in one run: 100 by default, <c>CASEBOT_FAULTS</c> to change it.</summary>
    private static int FaultCount => ReliabilityRun.FaultCount;

    private enum Fault { DropBeforeHello, DropAfterHandshake, DropMidDispatch, Drop, WithheldAcks, Reconnect, InvalidResumable, InvalidFresh, ServerClose }

    /// <summary>Slow last: a reply's faults before its last are drawn from the others.</summary>
    private enum RestFault { Bucket429, Shared429, Global429, Error500, Error502, Slow }

    [Fact]
    public async Task Every_delivered_question_is_answered_exactly_once_through_gateway_and_rest_faults()
    {
        await using var rig = await DiscordTestRig.StartAsync(services: s =>
            s.AddHttpClient("CaseBot.Discord").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(1)));
        rig.Fake.ChannelBucketLimit = 5; // Discord's Create Message: 5 per 5 s per channel
        // Slow answers each block a pool thread (as the real engine does): keep threads for the driver and the sockets.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 48), io);
        var chaos = new Chaos(rig, new Random(Seed));
        rig.Bot.Answerer = chaos.SlowWhenAsked;

        try
        {
            for (var round = 0; round < FaultCount; round++)
                await chaos.RoundAsync((Fault)chaos.Rng.Next(Enum.GetValues<Fault>().Length));
            await chaos.FinishAsync();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{chaos.Unanswered()}", ex); // what the platform sent and what is owed
        }

        var answers = chaos.AnswerCounts();
        output.WriteLine($"seed {Seed}, {FaultCount} faults: {chaos.Describe()}");
        output.WriteLine($"questions {chaos.Questions.Count}, answered {answers.Count(a => a.Value == 1)}, deferred {chaos.Deferrals()}, " +
                         $"rate-limit waits {rig.Metrics.RateLimitWaits.Count}, reconnects (metric) {rig.Metrics.Reconnects}, " +
                         $"longest reconnect {chaos.LongestReconnect.TotalSeconds:F1} s (virtual), bucket violations {rig.Fake.BucketViolations}");

        Assert.All(chaos.Questions.Keys, id => Assert.True(answers.GetValueOrDefault(id) == 1,
            $"question {id} got {answers.GetValueOrDefault(id)} answers"));
        Assert.Equal(0, rig.Fake.BucketViolations);
        Assert.InRange(chaos.LongestReconnect, TimeSpan.Zero, ReconnectBound);
        // MaxRestAttempts (4) per delivery: a question whose reply gave up is delivered again by the fake (its replay of
        // unanswered questions), and that delivery has its own tries. Bounded either way.
        Assert.All(chaos.AttemptsPerQuestion(), a => Assert.InRange(a.Value, 1, 8));
        Assert.True(chaos.Counts.Values.Sum() >= FaultCount);
        Assert.True(chaos.Resumes > 0 && chaos.Identifies > 1 && chaos.Deferrals() > 0, chaos.Describe());
        var sweep = DiscordSecrets.Sweep(rig);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    /// <summary>Discord's side of the run: sessions, their event logs, the questions and their answers.</summary>
    private sealed class Chaos(DiscordTestRig rig, Random rng)
    {
        private readonly List<(long Seq, string Type, JsonObject Data)> _log = [];
        private readonly Dictionary<string, string> _tokens = []; // interaction id → token
        private string? _sessionId;
        private int _sessions;
        private int _next;
        private DateTimeOffset? _disconnectedAt;

        public Random Rng => rng;
        public Dictionary<string, (string Type, JsonObject Data)> Questions { get; } = [];
        public Dictionary<string, int> Counts { get; } = [];
        public int Identifies { get; private set; }
        public int Resumes { get; private set; }
        public TimeSpan LongestReconnect { get; private set; }

        /// <summary>The engine: questions marked slow take 3 s of the fake clock, past <c>DeferAfter</c> (2 s).</summary>
        public Core.Answering.Answer SlowWhenAsked(string question)
        {
            // Blocks its thread (the engine is synchronous) without spinning, until the driver has moved the clock on.
            if (question.StartsWith("slow", StringComparison.Ordinal))
                Task.Delay(TimeSpan.FromSeconds(3), rig.Clock).Wait(RealTimeout);
            return FakeCaseBot.DefaultAnswer(question);
        }

        public async Task RoundAsync(Fault fault)
        {
            Count(fault.ToString());
            var connection = await AcceptAsync();
            if (fault == Fault.DropBeforeHello)
            {
                Drop(connection);
                return;
            }
            await connection.SendAsync(Events.Hello());
            var handshake = await connection.ExpectAnyOpAsync([2, 6]);
            if (fault == Fault.DropAfterHandshake)
            {
                Drop(connection);
                return;
            }
            await AnswerHandshakeAsync(connection, handshake);
            await rig.Clock.AdvanceUntilAsync(() => rig.Adapter.IsConnected || connection.IsClosed, Step, RealTimeout, Pause);
            NoteConnected();

            var batch = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => NewQuestion()).ToList();
            var sent = fault == Fault.DropMidDispatch ? rng.Next(batch.Count) : batch.Count;
            PlanRestFaults(batch.Take(sent).ToList());
            foreach (var (id, type, data) in batch.Take(sent))
            {
                Questions[id] = (type, data); // a question counts once the platform has sent it
                await SendAsync(connection, type, data);
            }
            if (fault == Fault.DropMidDispatch)
            {
                Drop(connection);
                return;
            }
            // Half the time the fault waits for the answers, half the time it hits them in flight. On a busy machine the
            // client may end the connection itself first (a late ACK looks like a zombie): then the next round resumes.
            if (rng.Next(2) == 0)
                await rig.Clock.AdvanceUntilAsync(() => batch.All(q => Answered(q.Id)) || connection.IsClosed, Step, RealTimeout, Pause);
            if (connection.IsClosed)
            {
                Count("closed by the client");
                _disconnectedAt = rig.Clock.GetUtcNow();
                return;
            }
            await EndAsync(connection, fault);
        }

        /// <summary>Last, healthy connections (a new one whenever the client ends one): everything still owed is
        /// delivered and answered.</summary>
        public async Task FinishAsync()
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!(Questions.Keys.All(Answered) && rig.Fake.ScriptedPending == 0))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Unanswered at the end: " + Unanswered());
                var connection = await AcceptAsync();
                await connection.SendAsync(Events.Hello());
                await AnswerHandshakeAsync(connection, await connection.ExpectAnyOpAsync([2, 6]));
                try
                {
                    await rig.Clock.AdvanceUntilAsync(() => connection.IsClosed || (Questions.Keys.All(Answered) && rig.Fake.ScriptedPending == 0),
                        Step, deadline - DateTime.UtcNow, Pause);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException("Unanswered at the end: " + Unanswered());
                }
                if (connection.IsClosed) Count("closed by the client");
            }
            await rig.StopAsync(); // in-flight answers finish: the counts are final
        }

        public string Unanswered() => string.Join("\n", _trace.TakeLast(150)) + "\n" + UnansweredIds();

        private string UnansweredIds() => string.Join("; ", Questions.Keys.Where(id => !Answered(id)).Select(id =>
            $"{id} (asked: {rig.Bot.Questions.Count(q => q.EndsWith(Hash(Questions[id]), StringComparison.Ordinal))}, requests: " +
            string.Join(",", rig.Fake.Served.Where(s => s.Request.Body.Contains(id, StringComparison.Ordinal) || s.Request.Path.Contains(id, StringComparison.Ordinal))
                .Select(s => $"{s.Request.Method} {s.Request.Path.Split('/')[1]} {s.Status}")) + ")"))
            + $" | connected {rig.Adapter.IsConnected}, stopped {rig.Adapter.Stopped}, logs: "
            + string.Join(" / ", rig.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).TakeLast(8).Select(e => e.Message));

        private static string Hash((string Type, JsonObject Data) q) =>
            ((string?)q.Data["content"] ?? (string?)q.Data["data"]?["options"]?[0]?["value"] ?? "")[^4..].Split('#')[^1];

        private async Task<FakeGatewayConnection> AcceptAsync()
        {
            var index = rig.Fake.Connections.Count;
            await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count > index, Step, RealTimeout, Pause);
            return rig.Fake.Connections[index];
        }

        private async Task AnswerHandshakeAsync(FakeGatewayConnection connection, JsonNode handshake)
        {
            if ((int)handshake["op"]! == 2)
            {
                Identifies++;
                _sessionId = $"session-{++_sessions}";
                _log.Clear();
                await SendAsync(connection, "READY", (JsonObject)Events.Ready(0, rig.Fake.ResumeUrl, _sessionId)["d"]!);
                // A new session: Discord would have lost what the old one had not delivered; a platform retry brings
                // it back with the same ids, so the bot must recognise what it already answered.
                foreach (var (id, q) in Questions.Where(q => !Answered(q.Key)).ToList()) await SendAsync(connection, q.Type, q.Data);
                return;
            }
            var resume = handshake["d"]!;
            if ((string?)resume["session_id"] != _sessionId)
            {
                Count("refused resume");
                await connection.SendAsync(Fixture.Text("gateway/op9_invalid_session.json"));
                return;
            }
            Resumes++;
            var after = (long?)resume["seq"] ?? 0;
            foreach (var (seq, type, data) in _log.Where(e => e.Seq > after).ToList())
                {
                _trace.Add($"c{rig.Fake.Connections.ToList().IndexOf(connection)} replay s{seq} {type} {(string?)data["id"]}");
                await connection.SendAsync(Events.Dispatch(type, seq, data.DeepClone()));
            }
            _trace.Add($"resume {_sessionId} after {after}");
            await SendAsync(connection, "RESUMED", new JsonObject());
        }

        private readonly List<string> _trace = [];

        private async Task SendAsync(FakeGatewayConnection connection, string type, JsonObject data)
        {
            var seq = _log.Count + 1L;
            _log.Add((seq, type, data));
            _trace.Add($"c{rig.Fake.Connections.ToList().IndexOf(connection)} {_sessionId} s{seq} {type} {(string?)data["id"]}");
            await connection.SendAsync(Events.Dispatch(type, seq, data.DeepClone()));
        }

        private async Task EndAsync(FakeGatewayConnection connection, Fault fault)
        {
            switch (fault)
            {
                case Fault.WithheldAcks:
                    rig.Fake.AutoAck = false; // the client must see the zombie and resume on a new connection
                    await rig.Clock.AdvanceUntilAsync(() => connection.IsClosed, Step, RealTimeout, Pause);
                    rig.Fake.AutoAck = true;
                    break;
                case Fault.Reconnect:
                    await connection.SendAsync(Fixture.Text("gateway/op7_reconnect.json"));
                    break;
                case Fault.InvalidResumable:
                    await connection.SendAsync("""{"op": 9, "d": true}""");
                    break;
                case Fault.InvalidFresh:
                    await connection.SendAsync(Fixture.Text("gateway/op9_invalid_session.json"));
                    _sessionId = null; // Discord forgot it
                    break;
                case Fault.ServerClose:
                    await connection.CloseAsync(4000, "Unknown error");
                    break;
                default:
                    connection.Abort();
                    break;
            }
            await rig.Clock.AdvanceUntilAsync(() => connection.IsClosed, Step, RealTimeout, Pause);
            _disconnectedAt = rig.Clock.GetUtcNow();
        }

        private void Drop(FakeGatewayConnection connection)
        {
            connection.Abort();
            _disconnectedAt ??= rig.Clock.GetUtcNow();
        }

        private void NoteConnected()
        {
            if (_disconnectedAt is { } at && rig.Clock.GetUtcNow() - at > LongestReconnect) LongestReconnect = rig.Clock.GetUtcNow() - at;
            _disconnectedAt = null;
        }

        /// <summary>
        /// 0–2 REST faults for the reply to one of the round's mentions, met by its Create Message tries in turn, a slow
        /// reply only last (the client does not retry a timeout; Discord did post it). Planned per question: faults
        /// shared by whichever Create Message came next could stack on one reply across rounds, or be left with no
        /// request to meet them once the last mentions were answered, and the run then never finished. Every draw is
        /// made whatever the timing, so a loaded machine runs the same seeded faults.
        /// </summary>
        private void PlanRestFaults(IReadOnlyList<(string Id, string Type, JsonObject Data)> sent)
        {
            var faults = rng.Next(3);
            var mentions = sent.Where(q => q.Type == "MESSAGE_CREATE").Select(q => q.Id).ToList();
            if (faults == 0 || mentions.Count == 0) return;
            var id = mentions[rng.Next(mentions.Count)];
            for (var i = 0; i < faults; i++)
            {
                var kind = (RestFault)rng.Next(i == faults - 1 ? Enum.GetValues<RestFault>().Length : (int)RestFault.Slow);
                Count("REST " + kind);
                rig.Fake.RespondOnce(r => r.Method == "POST" && r.Path.StartsWith("/channels/", StringComparison.Ordinal)
                                          && (string?)r.Json?["message_reference"]?["message_id"] == id, kind switch
                {
                    RestFault.Bucket429 => RateLimited("rest/rate_limit_429_user.http.txt"),
                    RestFault.Shared429 => RateLimited("rest/rate_limit_429_shared.http.txt"),
                    RestFault.Global429 => RateLimited("rest/rate_limit_429_global.http.txt"),
                    RestFault.Error500 => new FakeResponse(500, """{"message": "500: Internal Server Error", "code": 0}"""),
                    RestFault.Error502 => new FakeResponse(502, "<html>502 Bad Gateway</html>"),
                    _ => new FakeResponse(200, Fixture.Text("rest/message_object_example.json"), Delay: TimeSpan.FromSeconds(1.5)),
                });
            }
        }

        /// <summary>The docs' 429 with a retry_after of 1–8 s, so that a run waits many of them out.</summary>
        private FakeResponse RateLimited(string fixture)
        {
            var docs = HttpFixture.Load(fixture);
            var body = JsonNode.Parse(docs.Body)!;
            body["retry_after"] = Math.Round(1 + 7 * rng.NextDouble(), 2);
            return new FakeResponse(429, body.ToJsonString(), docs.Headers);
        }

        private (string Id, string Type, JsonObject Data) NewQuestion()
        {
            var n = ++_next;
            var slow = rng.Next(4) == 0 ? "slow " : "";
            if (rng.Next(3) == 0)
            {
                var id = (2_000_000 + n).ToString();
                _tokens[id] = $"tok{n}";
                return (id, "INTERACTION_CREATE", Events.Command("ask", "question", $"{slow}why was the contract blocked? #{n}", id, $"tok{n}"));
            }
            var messageId = (1_000_000 + n).ToString();
            return (messageId, "MESSAGE_CREATE", Events.MentionMessage(messageId, $"{slow}who blocked the contract? #{n}", Events.GuildId, Events.ChannelId));
        }

        private bool Answered(string id) => AnswerCounts().GetValueOrDefault(id) > 0;

        /// <summary>Answers the platform accepted, per question (<see cref="DiscordAnswers"/>).</summary>
        public Dictionary<string, int> AnswerCounts() =>
            DiscordAnswers.Count(rig.Fake.Served, token => _tokens.FirstOrDefault(t => t.Value == token).Key);

        public int Deferrals() => rig.Fake.Served.Count(s => s.Request.Path.StartsWith("/interactions/", StringComparison.Ordinal)
                                                              && (int?)s.Request.Json?["type"] == 5);

        /// <summary>Create Message tries per mention (every status): bounded by <c>MaxRestAttempts</c>.</summary>
        public Dictionary<string, int> AttemptsPerQuestion() => rig.Fake.Requests
            .Where(r => r.Method == "POST" && r.Path.StartsWith("/channels/", StringComparison.Ordinal))
            .GroupBy(r => (string?)r.Json?["message_reference"]?["message_id"] ?? "?")
            .ToDictionary(g => g.Key, g => g.Count());

        private void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;

        public string Describe() =>
            $"identifies {Identifies}, resumes {Resumes}, connections {rig.Fake.Connections.Count}; " +
            string.Join(", ", Counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));
    }
}
