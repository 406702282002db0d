using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>The Slack adapter's signed HTTP handler as mounted by the host (HTTP mode, fake engine).</summary>
public sealed class AdapterEndpointTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    // Slack's Web API is pointed at a closed loopback port: nothing leaves the machine.
    private static readonly string[] SlackHttpMode =
        ["--Slack:BotToken=xoxb-1-2-test", $"--Slack:SigningSecret={Secret}", "--Slack:ApiBaseUrl=http://127.0.0.1:9/api/"];

    private static HttpRequestMessage Signed(string path, string body, string? signature = null)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"v0:{ts}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", signature ?? "v0=" + mac);
        return request;
    }

    [Fact]
    public async Task Slack_events_endpoint_answers_a_signed_url_verification_with_its_challenge()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), SlackHttpMode);
        var response = await host.Http.SendAsync(Signed("/slack/events", """{"type":"url_verification","challenge":"abc123"}""")).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("abc123", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task Slack_events_endpoint_refuses_a_bad_signature_with_401()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), SlackHttpMode);
        var response = await host.Http.SendAsync(Signed("/slack/events", """{"type":"url_verification","challenge":"abc123"}""",
            signature: "v0=" + new string('0', 64))).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Slack_routes_do_not_exist_when_slack_is_not_configured()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        var response = await host.Http.SendAsync(Signed("/slack/events", "{}")).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
