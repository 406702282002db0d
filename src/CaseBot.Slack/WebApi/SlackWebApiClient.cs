using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseBot.Adapters;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.WebApi;

/// <summary>
/// The few Web API methods CaseBot needs, over HttpClient. Handles what the docs ask of a client: waits out 429
/// <c>Retry-After</c> a bounded number of times, logs <c>ok:false</c> with its error code, stops using a token Slack
/// has refused, and paces messages per channel. An answer post that meets HTTP 500/502/503/504 or a request timeout is
/// retried a bounded number of times after a short jittered backoff. Tokens go only into the Authorization header.
/// </summary>
public sealed class SlackWebApiClient
{
    public const string HttpClientName = "CaseBot.Slack";
    internal const string Platform = "slack";

    /// <summary>Errors that mean the token itself is bad: retrying would only earn more 401-like answers.</summary>
    private static readonly HashSet<string> FatalAuthErrors =
        ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"];

    /// <summary>Errors no retry can cure: the app's set-up must change. Each with what to change.</summary>
    internal static readonly Dictionary<string, string> PermanentErrors = new(StringComparer.Ordinal)
    {
        ["not_allowed_token_type"] = "The call needs the other kind of token: Slack__AppToken must be the app-level xapp- token, Slack__BotToken the bot's xoxb- token.",
        ["missing_scope"] = "The app lacks a scope this call needs: add it under OAuth & Permissions (deploy/slack-app-manifest.yml lists them) and reinstall the app.",
        ["no_permission"] = "The token is not allowed to do this: check the app's scopes and the workspace's app settings.",
        ["access_denied"] = "The workspace denied the app access: ask a workspace admin to approve it.",
        ["team_access_not_granted"] = "The token has no access to this workspace: install the app there.",
        ["ekm_access_denied"] = "The workspace's key management blocks the app: ask a workspace admin.",
        ["method_deprecated"] = "Slack retired this method: upgrade CaseBot.",
        ["deprecated_endpoint"] = "Slack retired this endpoint: upgrade CaseBot.",
    };

    private readonly IHttpClientFactory _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApiClient> _log;
    private readonly IBotMetrics _metrics;
    private readonly ChannelPacer _pacer;
    private readonly JitteredBackoff _transientBackoff;
    private readonly Uri _baseUri;
    private volatile string? _botTokenRefused;
    private volatile string? _appTokenRefused;

    public SlackWebApiClient(IHttpClientFactory http, IOptions<SlackOptions> options, TimeProvider time,
        ILogger<SlackWebApiClient> log, IBotMetrics metrics)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _log = log;
        _metrics = metrics;
        _pacer = new ChannelPacer(time, _options.ChannelMessageInterval);
        _transientBackoff = new JitteredBackoff(_options.TransientRetryBaseDelay, _options.TransientRetryMaxDelay);
        var baseUrl = _options.ApiBaseUrl.EndsWith('/') ? _options.ApiBaseUrl : _options.ApiBaseUrl + "/";
        _baseUri = new Uri(baseUrl, UriKind.Absolute);
    }

    /// <summary>Set once Slack has refused the bot token; the adapter reports itself disconnected.</summary>
    public bool BotTokenRefused => _botTokenRefused is not null;

    /// <summary><c>auth.test</c> with the bot token: who CaseBot is (to ignore its own messages).</summary>
    public async Task<(string UserId, string? BotId)> AuthTestAsync(CancellationToken ct)
    {
        var r = await CallAsync("auth.test", TokenKind.Bot, null, null, ct);
        if (!r.Ok) throw Fail("auth.test", r.Error);
        return (r.GetString("user_id") ?? throw new SlackApiException("auth.test", "no user_id in response"), r.GetString("bot_id"));
    }

    /// <summary><c>apps.connections.open</c> with the app-level token: a fresh Socket Mode URL.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken ct)
    {
        var r = await CallAsync("apps.connections.open", TokenKind.App, null, null, ct);
        if (!r.Ok) throw Fail("apps.connections.open", r.Error);
        var url = r.GetString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "wss" && uri.Scheme != "ws"))
            throw new SlackApiException("apps.connections.open", "response has no WebSocket url");
        return uri;
    }

    public Task<SlackApiResult> PostMessageAsync(string channel, SlackMessage message, string? threadTs, CancellationToken ct)
    {
        var body = message.ToJson();
        body["channel"] = channel;
        if (!string.IsNullOrEmpty(threadTs)) body["thread_ts"] = threadTs;
        // Links in corpus text would otherwise unfurl into big previews under every answer.
        body["unfurl_links"] = false;
        body["unfurl_media"] = false;
        return CallAsync("chat.postMessage", TokenKind.Bot, body, channel, ct, retryTransient: true);
    }

    public Task<SlackApiResult> PostEphemeralAsync(string channel, string user, SlackMessage message, string? threadTs, CancellationToken ct)
    {
        var body = message.ToJson();
        body["channel"] = channel;
        body["user"] = user;
        if (!string.IsNullOrEmpty(threadTs)) body["thread_ts"] = threadTs;
        return CallAsync("chat.postEphemeral", TokenKind.Bot, body, channel, ct, retryTransient: true);
    }

    /// <summary>
    /// Posts <paramref name="message"/> to a slash command's <c>response_url</c> (no token: the URL is the credential),
    /// <c>in_channel</c> or ephemeral. False when the URL is not Slack's (or the configured API's host) or the post
    /// failed, so the caller falls back to <c>chat.postMessage</c>.
    /// </summary>
    public async Task<bool> RespondAsync(string responseUrl, SlackMessage message, bool inChannel, CancellationToken ct)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || !IsSlackUrl(url))
        {
            _log.LogWarning("Slack response_url is not a Slack URL; answering with chat.postMessage instead");
            return false;
        }
        var body = message.ToJson();
        body["response_type"] = inChannel ? "in_channel" : "ephemeral";
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.CreateClient(HttpClientName).PostAsync(url, content, ct);
            if (response.IsSuccessStatusCode) return true;
            _log.LogWarning("Slack response_url answered HTTP {Status}; answering with chat.postMessage instead", (int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _log.LogWarning("Slack response_url could not be reached ({Reason}); answering with chat.postMessage instead", ex.Message);
            return false;
        }
    }

    /// <summary>Slack's own hosts over HTTPS, or the configured API's origin (a test or proxy): never anywhere else.</summary>
    private bool IsSlackUrl(Uri url) =>
        (url.Scheme == Uri.UriSchemeHttps && (url.Host == "slack.com" || url.Host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase)))
        || (url.Scheme == _baseUri.Scheme && url.Authority == _baseUri.Authority);

    internal enum TokenKind { Bot, App }

    /// <summary>HTTP statuses that say Slack (or a proxy in front of it) failed this once, not that the request is wrong.</summary>
    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <param name="retryTransient">
    /// Retry HTTP 500/502/503/504 and timeouts up to <see cref="SlackOptions.MaxTransientRetries"/> times: for answer posts,
    /// which nothing else would retry. <c>auth.test</c> and <c>apps.connections.open</c> have their callers' backoff.
    /// </param>
    internal async Task<SlackApiResult> CallAsync(string method, TokenKind kind, JsonObject? body, string? paceChannel, CancellationToken ct,
        bool retryTransient = false)
    {
        var refused = kind == TokenKind.Bot ? _botTokenRefused : _appTokenRefused;
        if (refused is not null)
        {
            _log.LogDebug("Slack {Method} skipped: the {Kind} token was refused earlier ({Error})", method, kind, refused);
            return SlackApiResult.Failed(refused);
        }

        var token = kind == TokenKind.Bot ? _options.BotToken : _options.AppToken;
        if (string.IsNullOrEmpty(token)) return SlackApiResult.Failed("not_authed");

        if (paceChannel is not null)
        {
            var wait = _pacer.Reserve(paceChannel);
            if (wait > TimeSpan.Zero)
            {
                // Waiting for the channel's slot is no answering: the worker goes to the next question (maybe another
                // channel's) meanwhile, or one busy channel would hold every worker.
                WorkDispatcher.YieldSlot();
                await Task.Delay(wait, _time, ct);
            }
        }

        var payload = body?.ToJsonString();
        var rateLimited = 0;
        var transient = 0;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, method));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = payload is null
                ? new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded")
                : new StringContent(payload, Encoding.UTF8, "application/json");

            HttpResponseMessage response;
            try
            {
                response = await _http.CreateClient(HttpClientName).SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                _log.LogWarning("Slack {Method} could not be sent: {Reason}", method, ex.Message);
                return SlackApiResult.Failed("request_failed");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // HttpClient's timeout, not a stop: a transient failure (auth.test retries it with backoff, answer posts
                // here), never a cancellation that would escape the hosted service and stop the host.
                if (retryTransient && await WaitBeforeTransientRetryAsync(method, "no answer in time", ++transient, attempt, ct)) continue;
                if (retryTransient)
                    _log.LogWarning("Slack {Method} got no answer in time after {Attempts} attempt(s); giving up", method, attempt + 1);
                else
                    _log.LogWarning("Slack {Method} got no answer in time", method);
                return SlackApiResult.Failed("request_timeout");
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    if (rateLimited++ >= _options.MaxRateLimitRetries || retryAfter > _options.MaxRetryAfter)
                    {
                        _log.LogWarning("Slack {Method} still rate limited after {Attempts} attempt(s) (Retry-After {RetryAfter}s); giving up",
                            method, attempt + 1, retryAfter.TotalSeconds);
                        return SlackApiResult.Failed("ratelimited");
                    }
                    // A little jitter so several waiting sends do not hit Slack in the same instant.
                    var wait = retryAfter + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
                    _log.LogInformation("Slack {Method} rate limited; waiting {Seconds:0.##}s (attempt {Attempt})", method, wait.TotalSeconds, attempt + 1);
                    _metrics.RateLimitWaited(Platform, wait);
                    WorkDispatcher.YieldSlot();
                    await Task.Delay(wait, _time, ct);
                    continue;
                }

                if (retryTransient && IsTransient(response.StatusCode))
                {
                    var status = (int)response.StatusCode;
                    if (await WaitBeforeTransientRetryAsync(method, $"HTTP {status}", ++transient, attempt, ct)) continue;
                    _log.LogWarning("Slack {Method} answered HTTP {Status} after {Attempts} attempt(s); giving up", method, status, attempt + 1);
                    return SlackApiResult.Failed($"http_{status}");
                }

                var result = await ReadResultAsync(response, ct);
                if (!result.Ok)
                {
                    _log.LogWarning("Slack {Method} returned ok:false, error {Error} (HTTP {Status})", method, result.Error, (int)response.StatusCode);
                    if (result.Error is not null && FatalAuthErrors.Contains(result.Error))
                    {
                        if (kind == TokenKind.Bot) _botTokenRefused = result.Error; else _appTokenRefused = result.Error;
                        _log.LogError("Slack refused the {Kind} token ({Error}); no further calls with it until restart", kind, result.Error);
                    }
                    else if (result.Error is not null && PermanentErrors.TryGetValue(result.Error, out var fix))
                    {
                        _log.LogError("Slack {Method} refused for good ({Error}): {Fix}", method, result.Error, fix);
                    }
                }
                return result;
            }
        }
    }

    /// <summary>
    /// After the <paramref name="failures"/>th transient failure: false when the retries are used up, otherwise waits a
    /// jittered backoff (ending early, by throwing, only when <paramref name="ct"/> is cancelled) and returns true.
    /// </summary>
    private async Task<bool> WaitBeforeTransientRetryAsync(string method, string reason, int failures, int attempt, CancellationToken ct)
    {
        if (failures > _options.MaxTransientRetries) return false;
        var wait = _transientBackoff.Delay(failures);
        _log.LogInformation("Slack {Method} failed ({Reason}); retrying in {Seconds:0.##}s (attempt {Attempt})",
            method, reason, wait.TotalSeconds, attempt + 1);
        WorkDispatcher.YieldSlot();
        await Task.Delay(wait, _time, ct);
        return true;
    }

    private static async Task<SlackApiResult> ReadResultAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement.Clone();
            var ok = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var okProp) && okProp.ValueKind == JsonValueKind.True;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : null;
            if (!ok && error is null) error = response.IsSuccessStatusCode ? "unknown_error" : $"http_{(int)response.StatusCode}";
            return new SlackApiResult(ok, ok ? null : error, root);
        }
        catch (JsonException)
        {
            return SlackApiResult.Failed(response.IsSuccessStatusCode ? "invalid_response" : $"http_{(int)response.StatusCode}");
        }
    }

    private static Exception Fail(string method, string? error) =>
        error is not null && FatalAuthErrors.Contains(error) ? new SlackAuthException(method, error)
        : error is not null && PermanentErrors.TryGetValue(error, out var fix) ? new SlackAuthException(method, error, fix)
        : new SlackApiException(method, error ?? "unknown_error");
}
