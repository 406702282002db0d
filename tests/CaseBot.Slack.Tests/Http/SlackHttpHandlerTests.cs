using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CaseBot.Slack.Http;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Slack.Tests.Http;

/// <summary>HTTP mode: request signing, url_verification, events, redeliveries and slash commands as form posts.</summary>
public sealed class SlackHttpHandlerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // The official test vector (Fixtures/SOURCES.md).
    private const string VectorSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string VectorTimestamp = "1531420618";
    private const string VectorSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    private static Task<SlackTestHost> StartHttpHostAsync(FakeSlack slack, FakeCaseBot bot, FakeTimeProvider time) =>
        SlackTestHost.StartAsync(slack, bot, s =>
        {
            s.Remove("Slack:AppToken");
            s["Slack:SigningSecret"] = VectorSecret;
        }, time);

    private static Dictionary<string, string> Headers(string timestamp, string signature, string contentType, string? retryNum = null)
    {
        var h = new Dictionary<string, string>
        {
            ["content-type"] = contentType,
            ["x-slack-request-timestamp"] = timestamp,
            ["x-slack-signature"] = signature,
        };
        if (retryNum is not null)
        {
            h["X-Slack-Retry-Num"] = retryNum;
            h["X-Slack-Retry-Reason"] = "http_timeout";
        }
        return h;
    }

    private static string Sign(byte[] body, string timestamp)
    {
        var data = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(VectorSecret), data));
    }

    private static Dictionary<string, string> SignedJson(byte[] body, FakeTimeProvider time, string? retryNum = null)
    {
        var ts = time.GetUtcNow().ToUnixTimeSeconds().ToString();
        return Headers(ts, Sign(body, ts), "application/json", retryNum);
    }

    [Fact]
    public void Signing_test_vector_verifies()
    {
        var verifier = new SlackRequestVerifier(VectorSecret, new FakeTimeProvider(VectorTime.AddSeconds(42)));

        var check = verifier.Verify(VectorTimestamp, VectorSignature, Fixture.Bytes("http/slash_command_signed_body.form"));

        Assert.Equal(SignatureCheck.Valid, check);
    }

    [Fact]
    public void Verifier_refuses_wrong_signature_missing_header_stale_or_future_timestamp_and_missing_secret()
    {
        var body = Fixture.Bytes("http/slash_command_signed_body.form");
        var verifier = new SlackRequestVerifier(VectorSecret, new FakeTimeProvider(VectorTime));
        var wrong = VectorSignature[..^1] + "4";

        Assert.Equal(SignatureCheck.BadSignature, verifier.Verify(VectorTimestamp, wrong, body));
        Assert.Equal(SignatureCheck.BadSignature, verifier.Verify(VectorTimestamp, VectorSignature, body.Append((byte)' ').ToArray()));
        Assert.Equal(SignatureCheck.BadSignature, verifier.Verify("1531420619", VectorSignature, body));
        Assert.Equal(SignatureCheck.MissingHeader, verifier.Verify(null, VectorSignature, body));
        Assert.Equal(SignatureCheck.MissingHeader, verifier.Verify(VectorTimestamp, null, body));
        Assert.Equal(SignatureCheck.StaleTimestamp,
            new SlackRequestVerifier(VectorSecret, new FakeTimeProvider(VectorTime.AddSeconds(301))).Verify(VectorTimestamp, VectorSignature, body));
        Assert.Equal(SignatureCheck.StaleTimestamp,
            new SlackRequestVerifier(VectorSecret, new FakeTimeProvider(VectorTime.AddSeconds(-301))).Verify(VectorTimestamp, VectorSignature, body));
        Assert.Equal(SignatureCheck.Valid,
            new SlackRequestVerifier(VectorSecret, new FakeTimeProvider(VectorTime.AddSeconds(299))).Verify(VectorTimestamp, VectorSignature, body));
        Assert.Equal(SignatureCheck.NoSecretConfigured,
            new SlackRequestVerifier(null, new FakeTimeProvider(VectorTime)).Verify(VectorTimestamp, VectorSignature, body));
    }

    [Fact]
    public async Task Signed_slash_command_from_the_test_vector_is_accepted_and_answered_with_ephemeral_help()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(VectorTime.AddSeconds(5));
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), time);

        var r = host.Http.Handle(Headers(VectorTimestamp, VectorSignature, "application/x-www-form-urlencoded"),
            Fixture.Bytes("http/slash_command_signed_body.form"));

        Assert.Equal(200, r.Status);
        Assert.StartsWith("application/json", r.ContentType);
        Assert.Equal("ephemeral", JsonNode.Parse(r.Body)!["response_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_signature_missing_header_and_stale_timestamp_get_401_and_no_work()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(VectorTime.AddSeconds(5));
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), time);
        var body = Fixture.Bytes("http/slash_command_signed_body.form");
        const string form = "application/x-www-form-urlencoded";

        var wrong = host.Http.Handle(Headers(VectorTimestamp, "v0=" + new string('0', 64), form), body);
        var missing = host.Http.Handle(new Dictionary<string, string> { ["Content-Type"] = form, ["X-Slack-Signature"] = VectorSignature }, body);
        time.Advance(TimeSpan.FromMinutes(6));
        var stale = host.Http.Handle(Headers(VectorTimestamp, VectorSignature, form), body);

        Assert.Equal([401, 401, 401], new[] { wrong.Status, missing.Status, stale.Status });
        Assert.Equal(0, host.Queue.Completed);
        Assert.True(host.Logs.Contains("StaleTimestamp"));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(VectorSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Url_verification_answers_with_the_challenge_only_when_signed()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), time);
        var body = Fixture.Bytes("events_api/url_verification.json");

        var ok = host.Http.Handle(SignedJson(body, time), body);
        var unsigned = host.Http.Handle(new Dictionary<string, string> { ["Content-Type"] = "application/json" }, body);

        Assert.Equal(200, ok.Status);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", JsonNode.Parse(ok.Body)!["challenge"]!.GetValue<string>());
        Assert.Equal(401, unsigned.Status);
    }

    [Fact]
    public async Task Ssl_check_needs_no_signature()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), new FakeTimeProvider());

        var r = host.Http.Handle(new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            "ssl_check=1&token=abc"u8);

        Assert.Equal(200, r.Status);
        Assert.Equal("", r.Body);
    }

    [Fact]
    public async Task Redelivered_event_with_retry_header_is_answered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), time);
        // The envelope's payload is exactly what Slack POSTs to the Request URL (SOURCES.md).
        var payload = Fixture.Mention("env", "Ev0HTTP", "why was the contract blocked?")["payload"]!;
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());

        var first = host.Http.Handle(SignedJson(body, time), body);
        time.Advance(TimeSpan.FromMinutes(1));
        var retry1 = host.Http.Handle(SignedJson(body, time, retryNum: "1"), body);
        time.Advance(TimeSpan.FromMinutes(5));
        var retry2 = host.Http.Handle(SignedJson(body, time, retryNum: "2"), body);
        await host.Queue.WaitForCompletedAsync(3).WaitAsync(Wait);

        Assert.Equal([200, 200, 200], new[] { first.Status, retry1.Status, retry2.Status });
        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("1610241741.000200", reply.Str("thread_ts"));
        Assert.Contains("[004]", reply.BlocksJson);
    }

    [Fact]
    public async Task Slash_command_question_over_http_is_acked_empty_and_answered_in_the_channel()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), time);
        var body = Encoding.UTF8.GetBytes(Fixture.Text("http/slash_command_signed_body.form")
            .Replace("command=%2Fwebhook-collect", "command=%2Fcasebot")
            .Replace("text=&", "text=why+was+the+contract+blocked%3F&"));
        var ts = time.GetUtcNow().ToUnixTimeSeconds().ToString();

        var r = host.Http.Handle(Headers(ts, Sign(body, ts), "application/x-www-form-urlencoded"), body);
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Equal(200, r.Status);
        Assert.Equal("", r.Body);
        var reply = Assert.Single(slack.ChatCalls());
        Assert.Equal("G8PSS9T3V", reply.Str("channel"));
        Assert.Contains("<@U2CERLKJA> asked: why was the contract blocked?", reply.BlocksJson);
    }

    [Fact]
    public async Task Schema_superset_event_payloads_with_unknown_fields_parse_and_are_answered()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var host = await StartHttpHostAsync(slack, new FakeCaseBot(), time);

        var mention = Fixture.Json("schema_superset/events_AppMentionPayload.json");
        mention["type"] = "event_callback";
        mention["event_id"] = "EvSuper1";
        Fill(mention["event"]!.AsObject(), channel: "C0SUPER", ts: "5.5");
        var dm = Fixture.Json("schema_superset/events_MessagePayload.json");
        dm["type"] = "event_callback";
        dm["event_id"] = "EvSuper2";
        Fill(dm["event"]!.AsObject(), channel: "D0SUPER", ts: "6.6");
        dm["event"]!["channel_type"] = "im";

        foreach (var payload in new[] { mention, dm })
        {
            var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
            Assert.Equal(200, host.Http.Handle(SignedJson(body, time), body).Status);
        }
        await host.Queue.WaitForCompletedAsync(2).WaitAsync(Wait);

        var replies = slack.ChatCalls().OrderBy(c => c.Str("channel")).ToList();
        Assert.Equal(["C0SUPER", "D0SUPER"], replies.Select(c => c.Str("channel")));
        Assert.Equal("5.5", replies[0].Str("thread_ts"));
        Assert.All(replies, r => Assert.Equal("chat.postMessage", r.Method));

        static void Fill(JsonObject ev, string channel, string ts)
        {
            ev["user"] = "U0SUPER";
            ev["channel"] = channel;
            ev["text"] = "<@U111> why was the contract blocked?";
            ev["ts"] = ts;
        }
    }

    [Fact]
    public void Schema_superset_slash_command_payload_parses()
    {
        var p = Fixture.Json("schema_superset/SlashCommandPayload.json");
        p["command"] = "/casebot";
        p["text"] = "help";
        p["user_id"] = "U0SUPER";
        p["channel_id"] = "C0SUPER";

        var cmd = Commands.SlashCommand.FromJson(System.Text.Json.JsonDocument.Parse(p.ToJsonString()).RootElement);

        Assert.Equal(new Commands.SlashCommand("/casebot", "help", "U0SUPER", "C0SUPER"), cmd);
    }
}
