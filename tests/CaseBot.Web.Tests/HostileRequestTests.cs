using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CaseBot.Web.Hosting;
using CaseBot.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web.Tests;

/// <summary>
/// Unauthenticated noise and tricks against the host's endpoints (issue 11 item 13, "Prove it: web console"): a clear
/// 4xx with a short JSON error where the host answers, never a 500, never an unhandled-exception log line.
/// </summary>
public sealed class HostileRequestTests : IAsyncLifetime
{
    private const string AdminToken = "hostile-admin-token-0123456789abcdef";
    private const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly CapturedLogs _logs = new();
    private readonly string _scratch = RepoPaths.NewTempFolder("casebot-hostile");
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    private readonly NSec.Cryptography.Key _discordKey = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);

    public async Task InitializeAsync()
    {
        var discordKey = _discordKey;
        var publicKey = Convert.ToHexStringLower(discordKey.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));
        _app = ServeHost.Build(
        [
            "--Web:Urls=http://127.0.0.1:0", $"--CaseBot:CorpusPath={_scratch}", $"--CaseBot:IndexPath={_scratch}/index",
            "--Moderation:WatchCorpus=false", "--Moderation:QuestionsPerUser=0", $"--Web:AdminToken={AdminToken}",
            "--Discord:Token=discord-test-token-not-real", "--Discord:ApplicationId=1", $"--Discord:PublicKey={publicKey}",
            "--Discord:ApiBaseUrl=http://127.0.0.1:9/api/v10",
            "--Slack:BotToken=xoxb-1-2-test", $"--Slack:SigningSecret={SigningSecret}", "--Slack:ApiBaseUrl=http://127.0.0.1:9/api/",
            "--Logging:LogLevel:Default=Debug",
        ], builder =>
        {
            builder.Services.AddSingleton<Core.ICaseBot>(new FakeCaseBot());
            // Only the HTTP interactions endpoint: no gateway connection (the adapter kit's tests cover it).
            foreach (var d in builder.Services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
                         && (d.ImplementationType ?? d.ImplementationFactory?.Method.ReturnType)?.Namespace?.StartsWith("CaseBot.Discord") == true).ToList())
                builder.Services.Remove(d);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(_logs);
        });
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = Wait };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync().WaitAsync(Wait);
        await _app.DisposeAsync();
        RepoPaths.DeleteQuietly(_scratch);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
    }

    private void AssertNoUnhandledErrors()
    {
        var bad = _logs.Entries.Where(e => e.Level >= LogLevel.Error || e.Exception is not null).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
    }

    [Theory]
    [InlineData("/discord/interactions")]
    [InlineData("/slack/events")]
    [InlineData("/api/reindex")]
    public async Task A_body_over_1_MB_gets_413_with_a_json_error_and_no_error_log(string path)
    {
        var response = await _http.PostAsync(path, new ByteArrayContent(new byte[RequestErrors.MaxBodyBytes + 1])).WaitAsync(Wait);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", await ErrorOf(response));
        AssertNoUnhandledErrors();
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("413"));
    }

    [Fact]
    public async Task A_chunked_body_running_past_1_MB_gets_413_with_a_json_error_and_no_error_log()
    {
        var content = new StreamContent(new MemoryStream(new byte[RequestErrors.MaxBodyBytes + 4096]));
        var request = new HttpRequestMessage(HttpMethod.Post, "/discord/interactions") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _http.SendAsync(request).WaitAsync(Wait);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", await ErrorOf(response));
        AssertNoUnhandledErrors();
    }

    [Fact]
    public async Task A_10_KB_query_string_gets_414_with_a_json_error()
    {
        var response = await _http.GetAsync("/api/ask?q=" + new string('a', 10 * 1024)).WaitAsync(Wait);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Contains("too long", await ErrorOf(response));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        AssertNoUnhandledErrors();
    }

    [Theory]
    [InlineData("/discord/interactions", "text/plain", "hello")]
    [InlineData("/discord/interactions", "application/x-www-form-urlencoded", "a=b&c=d")]
    [InlineData("/discord/interactions", "application/json", "{not json")]
    [InlineData("/slack/events", "text/xml", "<a/>")]
    [InlineData("/slack/commands", "application/json", "[1,2,3]")]
    [InlineData("/api/reindex", "multipart/form-data; boundary=x", "--x--")]
    [InlineData("/api/ask", "application/json", "{}")]
    [InlineData("/api/docs", "application/octet-stream", "\u0000\u0001")]
    public async Task Wrong_content_types_and_bodies_get_a_4xx_never_a_500(string path, string contentType, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await _http.PostAsync(path, content).WaitAsync(Wait);

        Assert.InRange((int)response.StatusCode, 400, 499);
        AssertNoUnhandledErrors();
    }

    [Theory]
    [InlineData("..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("..%5C..%5Cwindows%5Cwin.ini")]
    [InlineData("%2E%2E")]
    [InlineData("004%00.txt")]
    [InlineData("%FF%FE")]
    [InlineData("%C0%AE%C0%AE%2F")]
    [InlineData("[004]%0A%0D")]
    [InlineData("CON")]
    [InlineData("%E2%80%AE400")]
    [InlineData("004%3Fquote%3D%3Cscript%3E")]
    public async Task Path_tricks_in_document_ids_get_a_4xx_never_a_500(string id)
    {
        foreach (var url in new[] { $"/api/docs/{id}", $"/api/docs/{id}?quote=%00", $"/docs/{id}" })
        {
            var response = await _http.GetAsync(url).WaitAsync(Wait);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{url}: {status}");
            // The /docs/{id} page is the same static page for every id (it asks /api/docs and shows "no such document").
            if (url.StartsWith("/api/")) Assert.True(status >= 400, $"{url}: {status}");
            Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync());
        }
        var long_ = await _http.GetAsync("/api/docs/" + new string('9', 5000)).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.NotFound, long_.StatusCode);
        AssertNoUnhandledErrors();
    }

    [Fact]
    public async Task No_log_line_metric_or_reply_captured_here_holds_a_configured_secret()
    {
        var replies = new List<string>();
        async Task SendAsync(HttpRequestMessage request)
        {
            try
            {
                using var response = await _http.SendAsync(request).WaitAsync(Wait);
                replies.Add(await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException)
            {
                // Kestrel may answer 413 and close before the whole oversized body is sent (a broken pipe here): refused too.
            }
        }
        HttpRequestMessage Post(string path, HttpContent content, params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            return request;
        }

        await SendAsync(Post("/api/reindex", new StringContent("x")));
        await SendAsync(Post("/api/reindex", new StringContent(""), ("Authorization", "Bearer " + AdminToken)));
        await SendAsync(Post("/slack/events", new StringContent("{}")));
        await SendAsync(Post("/discord/interactions", new ByteArrayContent(new byte[RequestErrors.MaxBodyBytes + 1])));
        await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/ask?q=" + Uri.EscapeDataString("who blocked the Palantir deal?")));
        // Signed requests through the real routes: a Discord /ask (answered in the HTTP reply) and a Slack url_verification.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var ask = Encoding.UTF8.GetBytes("""{"type":2,"id":"1","token":"t","channel_id":"3","member":{"user":{"id":"2","username":"u"},"permissions":"0"},"data":{"name":"ask","options":[{"type":3,"name":"question","value":"why was the Palantir deal blocked?"}]}}""");
        var signature = Convert.ToHexStringLower(NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(_discordKey, [.. Encoding.UTF8.GetBytes(timestamp), .. ask]));
        await SendAsync(Post("/discord/interactions", new ByteArrayContent(ask), ("X-Signature-Ed25519", signature), ("X-Signature-Timestamp", timestamp)));
        var challenge = Encoding.UTF8.GetBytes("""{"type":"url_verification","challenge":"c-123"}""");
        var slackSignature = "v0=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningSecret),
            Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(challenge).ToArray()));
        var slackBody = new ByteArrayContent(challenge);
        slackBody.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await SendAsync(Post("/slack/events", slackBody, ("X-Slack-Request-Timestamp", timestamp), ("X-Slack-Signature", slackSignature)));
        var metrics = await _http.GetStringAsync("/metrics").WaitAsync(Wait);

        Assert.Contains(replies, r => r.Contains("\"type\": 4", StringComparison.Ordinal) || r.Contains("\"type\":4", StringComparison.Ordinal)); // the signed /ask was answered
        Assert.Contains(replies, r => r.Contains("c-123", StringComparison.Ordinal));
        Assert.NotEmpty(_logs.Entries);
        var sweep = new SecretSweep(("web admin token", AdminToken), ("Slack signing secret", SigningSecret), ("Slack bot token", "xoxb-1-2-test"),
                ("Discord bot token", "discord-test-token-not-real"))
            .Add("log lines", _logs.Entries.Select(e => e.Message + e.Exception))
            .Add("replies", replies)
            .Add("Prometheus /metrics", metrics.Split('\n'));
        Assert.Empty(sweep.Leaks());
    }

    internal sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

    /// <summary>Every log line of the host, in memory.</summary>
    internal sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
