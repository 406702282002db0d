using System.Text;
using System.Text.Json.Nodes;
using CaseBot.Discord.Interactions;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;
using Xunit.Abstractions;

namespace CaseBot.Discord.Tests.Reliability;

/// <summary>
/// Issue 11, "Hostile input: mutated platform payloads", Discord's share. The official fixtures (a mention's
/// MESSAGE_CREATE, a slash command's and a message command's INTERACTION_CREATE, a PING) mutated by
/// <see cref="PayloadMutations"/> (every field removed, every wrong JSON kind, 10,000-element arrays, 100 KB strings,
/// unknown fields, truncated text), one at a time, through the gateway dispatch and the HTTP interactions endpoint.
/// Each one is either answered or skipped with a log line; nothing is logged as an error; the gateway session stays
/// the same connection throughout and still answers a valid question at the end.
/// </summary>
public sealed class MutatedPayloadTests(ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private const string IdMark = "4242424242424242";
    private const string TokenMark = "TOKEN_MARK";
    private const long SequenceMark = 999_999_999;
    private static readonly TimeSpan PerPayload = TimeSpan.FromSeconds(10);

    /// <summary>The log lines that say an input was skipped (or ignored, or refused) and why.</summary>
    private static int Skips(DiscordTestRig rig) => rig.Logs.Entries.Count(e =>
        e.Message.Contains("Skipping", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Ignoring", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Refused", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<(string Fixture, JsonObject Payload)> Interactions() =>
    [
        ("slash command /ask", Events.Command("ask", "question", "why was the contract blocked?", IdMark, TokenMark)),
        ("message command", WithMarks(Fixture.Object("interactions/interaction_message_command.json"))),
        ("PING", Fixture.Object("interactions/callback_type1_pong.json")),
    ];

    private static JsonObject WithMarks(JsonObject interaction)
    {
        interaction["id"] = IdMark;
        interaction["token"] = TokenMark;
        return interaction;
    }

    [Fact]
    public async Task Mutated_gateway_dispatches_are_answered_or_skipped_with_a_log_line_on_the_same_connection()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        using var stop = new CancellationTokenSource();
        var pump = PumpAsync(rig.Clock, stop.Token); // virtual time moves on: heartbeats, the global 50 per second
        var (gateway, _) = await rig.ConnectAsync();
        var rng = new Random(Seed);
        var sequence = 1L;
        var sent = 0;
        var templates = Interactions().Where(i => i.Fixture != "PING")
            .Select(i => (Type: "INTERACTION_CREATE", i.Fixture, Data: i.Payload))
            .Prepend(("MESSAGE_CREATE", "mention", Events.MentionMessage(IdMark, "who blocked the contract?", Events.GuildId, Events.ChannelId)));

        foreach (var (type, fixture, data) in templates)
        foreach (var mutation in PayloadMutations.Of(Events.Dispatch(type, SequenceMark, data), rng))
        {
            sent++;
            var text = mutation.Text.Replace(IdMark, (5_000_000 + sent).ToString(), StringComparison.Ordinal)
                .Replace(TokenMark, $"tok-{sent}", StringComparison.Ordinal)
                .Replace($"\"s\":{SequenceMark}", $"\"s\":{++sequence}", StringComparison.Ordinal);
            var before = Skips(rig) + rig.Fake.Requests.Count;
            await gateway.SendAsync(text);
            try
            {
                await Wait.UntilAsync(() => Skips(rig) + rig.Fake.Requests.Count > before, PerPayload, TimeSpan.FromMilliseconds(1));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{fixture}, {mutation.Name}: neither answered nor skipped with a log line");
            }
        }

        await gateway.SendAsync(Events.Mention(++sequence, "6000001", "who blocked the contract?"));
        var reply = await rig.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)
                                                            && (string?)r.Json?["message_reference"]?["message_id"] == "6000001");
        await rig.StopAsync();
        await stop.CancelAsync();
        await pump;

        output.WriteLine($"seed {Seed}: {sent} mutated dispatches; {rig.Fake.Requests.Count(r => r.Method != "PUT" && r.Path != "/gateway/bot") - 1} answers, " +
                         $"{Skips(rig)} skip log lines; connections {rig.Fake.Connections.Count}");
        Assert.Contains("[004]", (string?)reply.Json?["content"]);
        Assert.Single(rig.Fake.Connections); // never dropped or reconnected
        Assert.DoesNotContain(rig.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.All(DiscordAnswers.Count(rig.Fake.Served, t => t.StartsWith("tok-", StringComparison.Ordinal) ? t : null),
            a => Assert.True(a.Value == 1, $"{a.Key} answered {a.Value} times"));
        var sweep = DiscordSecrets.Sweep(rig);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    [Fact]
    public async Task Mutated_http_interactions_get_a_reply_or_a_logged_4xx_never_a_500()
    {
        var key = Key.Create(SignatureAlgorithm.Ed25519);
        var publicKey = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        await using var rig = await DiscordTestRig.StartAsync(s => s["Discord:PublicKey"] = publicKey, start: false);
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var rng = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        var sent = 0;

        async Task<DiscordHttpResponse> PostAsync(string text)
        {
            var body = Encoding.UTF8.GetBytes(text);
            var (signature, timestamp) = Sign(key, rig, body);
            return await endpoint.HandleAsync(signature, timestamp, body).WaitAsync(PerPayload);
        }

        foreach (var (fixture, payload) in Interactions())
        foreach (var mutation in PayloadMutations.Of(payload, rng))
        {
            sent++;
            var skipped = Skips(rig);
            var response = await PostAsync(mutation.Text.Replace(IdMark, (7_000_000 + sent).ToString(), StringComparison.Ordinal)
                .Replace(TokenMark, $"http-{sent}", StringComparison.Ordinal));
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode is 200 or 400, $"{fixture}, {mutation.Name}: {response.StatusCode} {response.Body}");
            JsonNode.Parse(response.Body); // a JSON body either way
            if (response.StatusCode == 400)
                Assert.True(Skips(rig) > skipped, $"{fixture}, {mutation.Name}: 400 without a log line");
        }
        var answer = await PostAsync(Events.Command("ask", "question", "why was the contract blocked?", "7999999", "http-last").ToJsonString());

        output.WriteLine($"seed {Seed}: {sent} mutated HTTP interactions: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} × {s.Key}")));
        Assert.Equal(200, answer.StatusCode);
        Assert.Contains("[004]", answer.Body);
        Assert.DoesNotContain(rig.Logs.Entries, e => e.Level >= LogLevel.Error);
        var sweep = DiscordSecrets.Sweep(rig);
        output.WriteLine(sweep.Describe());
        Assert.Empty(sweep.Leaks());
    }

    [Fact]
    public async Task A_channel_id_that_is_not_a_snowflake_never_reaches_a_rest_path()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        // Without the check the reply went to channels/../../users/@me/messages: outside the channel route, bot token and all.
        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 2,
            Events.MentionMessage("6100001", "who blocked the contract?", Events.GuildId, "1/../../users/@me")));
        await gateway.SendAsync(Events.Mention(3, "6100002", "who blocked the contract?"));
        await rig.Fake.WaitForRequestAsync(r => r.Body.Contains("6100002", StringComparison.Ordinal));

        Assert.All(rig.Fake.Requests.Where(r => r.Method == "POST"), r => Assert.Equal($"/channels/{Events.ChannelId}/messages", r.Path));
        Assert.True(rig.Logs.Contains(LogLevel.Warning, "Skipping a message without a usable message, channel or author id"));
    }

    [Fact]
    public async Task An_interaction_whose_token_is_not_usable_is_skipped_with_a_warning_not_an_error()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();

        // A 100 KB token made a 414 callback URL, which failed the work item with an error and a stack trace.
        await gateway.SendAsync(Events.Interaction(2, Events.Command("ask", "question", "why was it blocked?", "6200001", new string('t', 100_000))));
        await gateway.SendAsync(Events.Interaction(3, Events.Command("ask", "question", "why was it blocked?", "6200002", "good-token")));
        await rig.Fake.WaitForRequestAsync(r => r.Path.Contains("/6200002/", StringComparison.Ordinal));

        Assert.True(rig.Logs.Contains(LogLevel.Warning, "Skipping an INTERACTION_CREATE without a usable id or token"));
        Assert.DoesNotContain(rig.Fake.Requests, r => r.Path.Contains("/6200001/", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_message_without_an_id_is_skipped_with_a_log_line()
    {
        await using var rig = await DiscordTestRig.StartAsync();
        var (gateway, _) = await rig.ConnectAsync();
        var message = Events.MentionMessage("6300001", "who blocked the contract?", Events.GuildId, Events.ChannelId);
        message.Remove("id");

        await gateway.SendAsync(Events.Dispatch("MESSAGE_CREATE", 2, message));

        await Wait.UntilAsync(() => rig.Logs.Contains(LogLevel.Warning, "Skipping a MESSAGE_CREATE without a message id"));
    }

    [Fact]
    public async Task An_http_interaction_the_bot_does_not_handle_gets_a_logged_400_not_a_500()
    {
        var key = Key.Create(SignatureAlgorithm.Ed25519);
        await using var rig = await DiscordTestRig.StartAsync(
            s => s["Discord:PublicKey"] = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)), start: false);
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Encoding.UTF8.GetBytes("""{"type": 99, "id": "6400001", "token": "t"}""");
        var (signature, timestamp) = Sign(key, rig, body);

        var response = await endpoint.HandleAsync(signature, timestamp, body).WaitAsync(Wait.Default);

        Assert.Equal(400, response.StatusCode); // was 500 "no response": the server's fault, for the client's input
        Assert.True(rig.Logs.Contains(LogLevel.Debug, "Ignoring interaction of type 99"));
    }

    /// <summary>Signs a body as Discord does (Ed25519 over timestamp + body), with the rig's current time.</summary>
    private static (string Signature, string Timestamp) Sign(Key key, DiscordTestRig rig, byte[] body)
    {
        var timestamp = rig.Clock.GetUtcNow().ToUnixTimeSeconds().ToString();
        return (Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(key, [.. Encoding.UTF8.GetBytes(timestamp), .. body])), timestamp);
    }

    /// <summary>Moves the virtual clock on (a second every 10 ms) until stopped.</summary>
    private static async Task PumpAsync(FakeTimeProvider clock, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(2, CancellationToken.None);
        }
    }
}
