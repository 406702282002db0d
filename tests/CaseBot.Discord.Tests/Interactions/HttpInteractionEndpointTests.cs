using System.Text;
using System.Text.Json.Nodes;
using CaseBot.Discord.Interactions;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace CaseBot.Discord.Tests.Interactions;

/// <summary>The HTTP interactions endpoint logic, signed with a key pair made for the test.</summary>
public sealed class HttpInteractionEndpointTests : IDisposable
{
    private const string Timestamp = "1767268800"; // the rig's clock: 2026-01-01 12:00:00 UTC
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly Key _otherKey = Key.Create(SignatureAlgorithm.Ed25519);

    private string PublicKeyHex => Convert.ToHexString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToLowerInvariant();

    private static string Sign(Key key, string timestamp, byte[] body) =>
        Convert.ToHexString(SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray())).ToLowerInvariant();

    private async Task<DiscordTestRig> RigAsync() =>
        await DiscordTestRig.StartAsync(s => s["Discord:PublicKey"] = PublicKeyHex, start: false);

    private static byte[] Ping() => Encoding.UTF8.GetBytes(Fixture.Text("interactions/callback_type1_pong.json")); // {"type": 1}

    [Fact]
    public async Task A_good_signature_on_a_ping_gets_pong()
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Ping();

        var response = await endpoint.HandleAsync(Sign(_key, Timestamp, body), Timestamp, body).WaitAsync(Wait.Default);

        Assert.True(endpoint.Enabled);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.True(JsonNode.DeepEquals(Fixture.Json("interactions/callback_type1_pong.json"), JsonNode.Parse(response.Body)));
    }

    [Fact]
    public async Task A_good_signature_on_a_slash_command_gets_the_cited_answer_as_the_reply()
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Encoding.UTF8.GetBytes(Events.Command("ask", "question", "why was the contract blocked?").ToJsonString());

        var response = await endpoint.HandleAsync(Sign(_key, Timestamp, body), Timestamp, body).WaitAsync(Wait.Default);

        Assert.Equal(200, response.StatusCode);
        var reply = JsonNode.Parse(response.Body)!;
        Assert.Equal(4, (int)reply["type"]!);
        Assert.Contains("[004]", (string)reply["data"]!["content"]!);
        Assert.Empty(rig.Fake.Requests); // the answer went back in the HTTP reply, not over REST
    }

    [Fact]
    public async Task A_slow_answer_over_http_defers_in_the_reply_and_edits_over_rest()
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Encoding.UTF8.GetBytes(Events.Command("ask", "question", "why was it blocked?", token: "HTTP_TOKEN").ToJsonString());
        rig.Bot.Hold();

        var pending = endpoint.HandleAsync(Sign(_key, Timestamp, body), Timestamp, body);
        await Wait.UntilAsync(() => rig.Bot.Asks == 1);
        await rig.Clock.AdvanceUntilAsync(() => pending.IsCompleted, TimeSpan.FromMilliseconds(100));
        var response = await pending;
        rig.Bot.Release();
        var edit = await rig.Fake.WaitForRequestAsync(r => r.Method == "PATCH");

        Assert.Equal(5, (int)JsonNode.Parse(response.Body)!["type"]!);
        Assert.Equal($"/webhooks/{DiscordTestRig.ApplicationId}/HTTP_TOKEN/messages/@original", edit.Path);
        Assert.Contains("[004]", (string)edit.Json!["content"]!);
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_deferred_http_answer_finish_and_edit_its_response()
    {
        await using var rig = await RigAsync();
        await rig.Host.StartAsync().WaitAsync(Wait.Default);
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Encoding.UTF8.GetBytes(Events.Command("ask", "question", "why was it blocked?", token: "HTTP_TOKEN").ToJsonString());
        rig.Bot.Hold();
        var pending = endpoint.HandleAsync(Sign(_key, Timestamp, body), Timestamp, body);
        await Wait.UntilAsync(() => rig.Bot.Asks == 1);
        await rig.Clock.AdvanceUntilAsync(() => pending.IsCompleted, TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, (int)JsonNode.Parse((await pending).Body)!["type"]!); // deferred: the user sees "thinking…"

        var stopping = rig.Host.StopAsync(); // SIGTERM with the answer still in flight
        await Wait.UntilAsync(() => !rig.Host.Services.GetRequiredService<DiscordWorkQueue>().CanAccept); // draining
        Assert.False(stopping.IsCompleted); // the stop waits for the accepted answer
        rig.Bot.Release();
        await stopping.WaitAsync(Wait.Default);

        var edit = Assert.Single(rig.Fake.Requests, r => r.Method == "PATCH"); // sent before the stop completed
        Assert.Contains("[004]", (string)edit.Json!["content"]!);
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("other key")]
    [InlineData("other timestamp")]
    [InlineData("not hex")]
    [InlineData("short")]
    public async Task A_bad_signature_gets_401(string how)
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Ping();
        var signature = Sign(_key, Timestamp, body);
        var timestamp = Timestamp;
        switch (how)
        {
            case "tampered body": body = Encoding.UTF8.GetBytes("{\"type\": 2}"); break;
            case "other key": signature = Sign(_otherKey, Timestamp, body); break;
            case "other timestamp": timestamp = "1767268801"; break;
            case "not hex": signature = new string('z', 128); break;
            case "short": signature = signature[..64]; break;
        }

        var response = await endpoint.HandleAsync(signature, timestamp, body).WaitAsync(Wait.Default);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(0, rig.Bot.Asks);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public async Task A_correctly_signed_request_with_a_stale_or_future_timestamp_gets_401(int secondsOff)
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Encoding.UTF8.GetBytes(Events.Command("ask", "question", "why was the contract blocked?").ToJsonString());
        var timestamp = (long.Parse(Timestamp) + secondsOff).ToString();

        var response = await endpoint.HandleAsync(Sign(_key, timestamp, body), timestamp, body).WaitAsync(Wait.Default);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(0, rig.Bot.Asks);
        Assert.True(rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "stale timestamp"));
    }

    [Fact]
    public async Task A_replayed_request_gets_401_and_is_not_answered_twice()
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Encoding.UTF8.GetBytes(Events.Command("ask", "question", "why was the contract blocked?").ToJsonString());
        var signature = Sign(_key, Timestamp, body);

        var first = await endpoint.HandleAsync(signature, Timestamp, body).WaitAsync(Wait.Default);
        var replay = await endpoint.HandleAsync(signature, Timestamp, body).WaitAsync(Wait.Default);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(401, replay.StatusCode);
        Assert.Equal(1, rig.Bot.Asks);
        Assert.True(rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "replay"));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_missing_signature_or_timestamp_gets_401(bool dropSignature, bool dropTimestamp)
    {
        await using var rig = await RigAsync();
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Ping();
        var signature = Sign(_key, Timestamp, body);

        var response = await endpoint.HandleAsync(dropSignature ? null : signature, dropTimestamp ? null : Timestamp, body);

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_public_key_the_endpoint_is_disabled_and_refuses_everything()
    {
        await using var rig = await DiscordTestRig.StartAsync(start: false);
        var endpoint = rig.Host.Services.GetRequiredService<IDiscordInteractionEndpoint>();
        var body = Ping();

        var response = await endpoint.HandleAsync(Sign(_key, Timestamp, body), Timestamp, body);

        Assert.False(endpoint.Enabled);
        Assert.Equal(401, response.StatusCode);
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }
}
