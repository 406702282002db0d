using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseBot.Slack.Tests.Reliability;

/// <summary>
/// Issue 11, "Hostile input: mutated platform payloads", Slack's share. The official Socket Mode envelopes (a mention,
/// a DM, a slash command, an interactive shortcut) and the <c>schema_superset/</c> payloads (every field Slack
/// documents, wrapped in their envelopes), mutated by <see cref="PayloadMutations"/> (every field removed, every wrong
/// JSON kind, 10,000-element arrays, 100 KB strings, unknown fields, truncated text), one at a time over one Socket
/// Mode link; the Events API bodies the same way through the signed HTTP endpoint. Each one is answered or skipped
/// with a log line; nothing is logged as an error; the link is never dropped, and a valid question still gets its
/// answer at the end.
/// </summary>
public sealed class MutatedPayloadTests(ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private const string EnvelopeMark = "ENVELOPE_MARK";
    private const string EventMark = "EVENT_MARK";
    private const string TsMark = "7777777777.777777";
    private const string Question = "why was the contract blocked?";
    private static readonly TimeSpan PerPayload = TimeSpan.FromSeconds(10);

    private static bool IsSkip(string line) =>
        line.Contains("skipped", StringComparison.OrdinalIgnoreCase) || line.Contains("ignored", StringComparison.OrdinalIgnoreCase);

    /// <summary>The log lines that say an input was skipped or ignored, and why.</summary>
    private static int Skips(SlackTestHost host) => host.Logs.Lines.Count(IsSkip);

    /// <summary>What the bot did about the inputs so far: skip log lines, Web API calls besides the connection's own,
    /// acks that carry a response. Counted incrementally, as a driver checks it after each of thousands of inputs.</summary>
    private sealed class Outcomes(SlackTestHost host, FakeSlack slack, FakeLink link)
    {
        private int _lines, _skips;

        public int Count()
        {
            foreach (var line in host.Logs.Lines.Skip(_lines))
            {
                _lines++;
                if (IsSkip(line)) _skips++;
            }
            return _skips + slack.Calls.Snapshot().Count(c => c.Method is not ("auth.test" or "apps.connections.open"))
                   + link.Acks.Snapshot().Count(a => a["payload"] is not null);
        }

        /// <summary>Waits until something more than <paramref name="before"/> happened; fails naming the input otherwise.</summary>
        public async Task WaitPastAsync(int before, string input)
        {
            try
            {
                await Wait.UntilAsync(() => Count() > before, PerPayload, TimeSpan.FromMilliseconds(1));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{input}: neither answered nor skipped with a log line");
            }
        }
    }

    private static JsonObject SupersetEvent()
    {
        var payload = Fixture.Json("schema_superset/events_AppMentionPayload.json");
        payload["type"] = "event_callback";
        payload["event_id"] = EventMark;
        var ev = payload["event"]!.AsObject();
        ev["user"] = "U222";
        ev["channel"] = "C111";
        ev["text"] = "<@U111> " + Question;
        ev["ts"] = TsMark;
        return payload;
    }

    private static JsonObject Envelope(string fixture, JsonObject payload)
    {
        var envelope = Fixture.Json(fixture);
        envelope["payload"] = payload;
        return envelope;
    }

    private static IEnumerable<(string Fixture, JsonObject Envelope)> Envelopes()
    {
        var superset = Fixture.Json("schema_superset/SlashCommandPayload.json");
        superset["command"] = "/casebot";
        superset["text"] = Question;
        superset["user_id"] = "U111";
        superset["channel_id"] = "C111";
        var shortcut = Fixture.Json("socket_mode/interactive_shortcut_envelope.json");
        shortcut["envelope_id"] = EnvelopeMark;
        return
        [
            ("app_mention envelope", Fixture.Mention(EnvelopeMark, EventMark, Question, TsMark)),
            ("DM envelope", Fixture.DirectMessage(EnvelopeMark, EventMark, Question)),
            ("slash_commands envelope", Fixture.Slash(EnvelopeMark, Question)),
            ("interactive shortcut envelope", shortcut),
            ("schema_superset app_mention", WithEnvelopeId(Envelope("socket_mode/events_api_app_mention_envelope.json", SupersetEvent()))),
            ("schema_superset slash command", WithEnvelopeId(Envelope("socket_mode/slash_commands_envelope.json", superset))),
        ];
    }

    private static JsonObject WithEnvelopeId(JsonObject envelope)
    {
        envelope["envelope_id"] = EnvelopeMark;
        return envelope;
    }

    private static string Unique(string text, int n) => text.Replace(EnvelopeMark, $"env-m{n}", StringComparison.Ordinal)
        .Replace(EventMark, $"Ev-m{n}", StringComparison.Ordinal).Replace(TsMark, $"1610000000.{n:D6}", StringComparison.Ordinal);

    [Fact]
    public async Task Mutated_socket_mode_envelopes_are_answered_or_skipped_with_a_log_line_on_the_same_link()
    {
        await using var slack = await FakeSlack.StartAsync();
        var metrics = new RecordingMetrics();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), services: s => s.AddSingleton<IBotMetrics>(metrics));
        var link = await slack.NextLinkAsync();
        await host.WaitConnectedAsync();
        var rng = new Random(Seed);
        var sent = 0;

        var outcomes = new Outcomes(host, slack, link);
        foreach (var (fixture, envelope) in Envelopes())
        foreach (var mutation in PayloadMutations.Of(envelope, rng))
        {
            var before = outcomes.Count();
            await link.SendAsync(Unique(mutation.Text, ++sent));
            await outcomes.WaitPastAsync(before, $"{fixture}, {mutation.Name}");
        }
        await link.SendAsync(Fixture.Mention("env-last", "Ev-last", Question, "1620000000.000001"));
        var answer = await slack.Calls.WaitForAsync(c => c.Method == "chat.postMessage" && c.Str("thread_ts") == "1620000000.000001");
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(PerPayload);

        var replies = slack.ChatCalls().Where(c => c.Str("thread_ts") is { } ts && ts.StartsWith("1610000000.", StringComparison.Ordinal)).ToList();
        output.WriteLine($"seed {Seed}: {sent} mutated envelopes; {link.Acks.Snapshot().Count} acks, {slack.ChatCalls().Count - 1} chat calls, " +
                         $"{Skips(host)} skip log lines; links opened {slack.Log.Snapshot().Count(l => l.What.StartsWith("link+", StringComparison.Ordinal))}");
        Assert.Contains("[004]", answer.BlocksJson);
        Assert.Equal(["link+1"], slack.Log.Snapshot().Where(l => l.What.StartsWith("link", StringComparison.Ordinal)).Select(l => l.What));
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.All(replies.GroupBy(c => c.Str("thread_ts")), g => Assert.True(g.Count() == 1, $"thread {g.Key} answered {g.Count()} times"));
        var sweep = SlackSecrets.Sweep(host, slack, metrics, [link]);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    [Fact]
    public async Task Mutated_events_api_bodies_over_http_get_a_200_or_a_logged_400_never_a_500()
    {
        await using var slack = await FakeSlack.StartAsync();
        var metrics = new RecordingMetrics();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), s => s["Slack:SigningSecret"] = SlackTestHost.SigningSecret,
            services: s => s.AddSingleton<IBotMetrics>(metrics));
        var link = await slack.NextLinkAsync();
        var rng = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        var bodies = new List<string>();
        var sent = 0;
        var outcomes = new Outcomes(host, slack, link);

        CaseBot.Slack.Http.SlackHttpResponse Post(string text)
        {
            var body = Encoding.UTF8.GetBytes(text);
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
            var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SlackTestHost.SigningSecret),
                Encoding.UTF8.GetBytes($"v0:{ts}:").Concat(body).ToArray()));
            var response = host.Http.Handle([new("Content-Type", "application/json"), new("X-Slack-Request-Timestamp", ts), new("X-Slack-Signature", signature)], body);
            bodies.Add(response.Body);
            return response;
        }

        foreach (var (fixture, payload) in new[]
                 {
                     ("app_mention body", Fixture.Mention(EnvelopeMark, EventMark, Question, TsMark)["payload"]!.AsObject()),
                     ("schema_superset app_mention body", SupersetEvent()),
                     ("url_verification body", Fixture.Json("events_api/url_verification.json")),
                 })
        foreach (var mutation in PayloadMutations.Of(payload, rng))
        {
            var before = outcomes.Count();
            var response = Post(Unique(mutation.Text, ++sent));
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            Assert.True(response.Status is 200 or 400, $"{fixture}, {mutation.Name}: {response.Status} {response.Body}");
            if (fixture.StartsWith("url_verification", StringComparison.Ordinal) && response.Status == 200) continue; // answered in the reply
            await outcomes.WaitPastAsync(before, $"{fixture}, {mutation.Name} ({response.Status})");
        }
        var last = Post(Unique(Fixture.Mention(EnvelopeMark, "Ev-last", Question, "1620000000.000001")["payload"]!.ToJsonString(), 0));
        var answer = await slack.Calls.WaitForAsync(c => c.Method == "chat.postMessage" && c.Str("thread_ts") == "1620000000.000001");

        output.WriteLine($"seed {Seed}: {sent} mutated Events API bodies: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} × {s.Key}")));
        Assert.Equal(200, last.Status);
        Assert.Contains("[004]", answer.BlocksJson);
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        var sweep = SlackSecrets.Sweep(host, slack, metrics, [link]).Add("HTTP replies", bodies);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    [Fact]
    public async Task An_envelope_with_a_field_of_the_wrong_type_is_still_acknowledged_and_skipped()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();
        var envelope = Fixture.Mention("env-wrong", "Ev-wrong", Question);
        envelope["accepts_response_payload"] = "yes"; // a string where Slack sends a boolean: the envelope cannot be read

        await link.SendAsync(envelope);

        // Unacknowledged, Slack would deliver the same unreadable envelope again and again.
        await link.WaitForAckAsync("env-wrong");
        Assert.Contains(host.Logs.Lines, l => l.Contains("malformed frame skipped", StringComparison.Ordinal) && l.Contains("acknowledged", StringComparison.Ordinal));
        Assert.Empty(slack.ChatCalls());
    }

    [Fact]
    public async Task A_channel_message_the_bot_does_not_answer_is_ignored_with_a_log_line()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();
        var chatter = Fixture.Json("socket_mode/events_api_message_channel_envelope.json");

        await link.SendAsync(chatter);
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(PerPayload);

        Assert.Contains(host.Logs.Lines, l => l.Contains("ignored: a channel message CaseBot does not answer", StringComparison.Ordinal));
        Assert.Empty(slack.ChatCalls());
    }
}
