using System.Collections.Concurrent;
using System.Globalization;
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
/// has refused, and paces messages per channel. An answer post that meets HTTP 500/502/503/504, a request timeout or a
/// failed connection (<see cref="HttpRequestException"/>: refused, reset) is retried a bounded number of times after a
/// short jittered backoff. The Web API has no idempotency key, so every
/// <c>chat.postMessage</c> carries message metadata (<see cref="AnswerEventType"/> with a post id of its own and the
/// question's event id): before retrying a post whose failure leaves open whether Slack posted it (a 5xx, a timeout, a
/// reset connection), and once after the last such failure, the client looks for that post id in the conversation
/// (<c>conversations.history</c>, or <c>conversations.replies</c> in a thread) and reports the post made, without
/// posting again, when it is there. Tokens go only into the Authorization header.
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

    /// <summary>The metadata <c>event_type</c> of every <c>chat.postMessage</c> CaseBot sends.</summary>
    public const string AnswerEventType = "casebot_answer";

    /// <summary>Messages read per check: the post looked for is among the newest (or, in a thread, among the first
    /// after its first try), so a small page does.</summary>
    internal const int PostCheckLimit = 20;

    /// <summary>How far before the first try the check reads: Slack stamps <c>ts</c> by its own clock.</summary>
    internal static readonly TimeSpan PostCheckMargin = TimeSpan.FromMinutes(1);

    /// <summary><c>conversations.history</c> and <c>conversations.replies</c> are Tier 3 (50+ a minute each): one check
    /// every 1.2 s per method at most.</summary>
    internal static readonly TimeSpan Tier3Interval = TimeSpan.FromSeconds(60.0 / 50);

    private readonly IHttpClientFactory _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApiClient> _log;
    private readonly IBotMetrics _metrics;
    private readonly ChannelPacer _pacer;
    private readonly ChannelPacer _readPacer;
    private readonly ConcurrentDictionary<string, byte> _checkUnavailableLogged = new(StringComparer.Ordinal);
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
        _readPacer = new ChannelPacer(time, Tier3Interval);
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

    /// <param name="questionId">The question's event id (or another id of what is answered), carried in the post's
    /// metadata; null when there is none.</param>
    public Task<SlackApiResult> PostMessageAsync(string channel, SlackMessage message, string? threadTs, CancellationToken ct,
        string? questionId = null)
    {
        var body = message.ToJson();
        body["channel"] = channel;
        if (!string.IsNullOrEmpty(threadTs)) body["thread_ts"] = threadTs;
        // Links in corpus text would otherwise unfurl into big previews under every answer.
        body["unfurl_links"] = false;
        body["unfurl_media"] = false;
        // The idempotency key the Web API lacks: a retry first looks for this post id (see FindPostAsync).
        var postId = Guid.NewGuid().ToString("N");
        var payload = new JsonObject { ["post_id"] = postId };
        if (!string.IsNullOrEmpty(questionId)) payload["question_id"] = questionId;
        body["metadata"] = new JsonObject { ["event_type"] = AnswerEventType, ["event_payload"] = payload };
        return CallAsync("chat.postMessage", TokenKind.Bot, body, channel, ct, retryTransient: true,
            findPosted: (since, token) => FindPostAsync(channel, threadTs, postId, since, token));
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
    /// Retry HTTP 500/502/503/504, timeouts and failed connections up to <see cref="SlackOptions.MaxTransientRetries"/> times: for answer posts,
    /// which nothing else would retry. <c>auth.test</c> and <c>apps.connections.open</c> have their callers' backoff.
    /// </param>
    /// <param name="findPosted">
    /// For a post that may have gone through although its reply said otherwise (a 5xx, a timeout, a connection reset):
    /// asked before each retry, and once after the last try fails so, with the time of the first try, whether Slack has
    /// the post; its result (the post found) ends the call as posted, without posting again. Null when it cannot tell:
    /// then the post is retried (or, after the last try, reported as failed).
    /// </param>
    /// <param name="form">Send <paramref name="body"/>'s fields form-encoded (the read methods take no JSON body).</param>
    /// <param name="quiet">The caller reports an <c>ok:false</c>, a timeout or a failed connection itself: logged at debug here.</param>
    /// <param name="readPace">Pace the call per method at <see cref="Tier3Interval"/> (Tier 3 read methods).</param>
    internal async Task<SlackApiResult> CallAsync(string method, TokenKind kind, JsonObject? body, string? paceChannel, CancellationToken ct,
        bool retryTransient = false, Func<DateTimeOffset, CancellationToken, Task<SlackApiResult?>>? findPosted = null,
        bool form = false, bool quiet = false, bool readPace = false)
    {
        var refused = kind == TokenKind.Bot ? _botTokenRefused : _appTokenRefused;
        if (refused is not null)
        {
            _log.LogDebug("Slack {Method} skipped: the {Kind} token was refused earlier ({Error})", method, kind, refused);
            return SlackApiResult.Failed(refused);
        }

        var token = kind == TokenKind.Bot ? _options.BotToken : _options.AppToken;
        if (string.IsNullOrEmpty(token)) return SlackApiResult.Failed("not_authed");

        var payload = form ? null : body?.ToJsonString();
        var fields = form && body is not null ? body.Select(f => KeyValuePair.Create(f.Key, FormValue(f.Value))).ToList() : null;
        var rateLimited = 0;
        var transient = 0;
        DateTimeOffset? firstTry = null;
        for (var attempt = 0; ; attempt++)
        {
            // Every attempt is a send: a retry (after a 429 or a 5xx) takes the channel's next slot too, or retries
            // landing together with the channel's next posts would run its limit dry.
            await PaceAsync(method, paceChannel, readPace, ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, method));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = fields is not null ? new FormUrlEncodedContent(fields)
                : payload is null ? new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded")
                : new StringContent(payload, Encoding.UTF8, "application/json");
            firstTry ??= _time.GetUtcNow();

            HttpResponseMessage response;
            try
            {
                response = await _http.CreateClient(HttpClientName).SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                // Refused, reset, or cut off mid-reply: a reset after the request went out may have been processed,
                // so for an answer post it is as ambiguous as a 5xx.
                if (retryTransient)
                {
                    var reason = $"connection failed: {ex.Message}";
                    var (retry, posted) = await AfterAmbiguousFailureAsync(findPosted, method, reason, ++transient, attempt, firstTry.Value, ct);
                    if (posted is not null) return posted;
                    if (retry) continue;
                    _log.LogWarning("Slack {Method} could not be sent after {Attempts} attempt(s) ({Reason}); giving up", method, attempt + 1, ex.Message);
                }
                else if (quiet)
                    _log.LogDebug("Slack {Method} could not be sent: {Reason}", method, ex.Message);
                else
                    _log.LogWarning("Slack {Method} could not be sent: {Reason}", method, ex.Message);
                return SlackApiResult.Failed("request_failed");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // HttpClient's timeout, not a stop: a transient failure (auth.test retries it with backoff, answer posts
                // here), never a cancellation that would escape the hosted service and stop the host.
                if (retryTransient)
                {
                    var (retry, posted) = await AfterAmbiguousFailureAsync(findPosted, method, "no answer in time", ++transient, attempt, firstTry.Value, ct);
                    if (posted is not null) return posted;
                    if (retry) continue;
                    _log.LogWarning("Slack {Method} got no answer in time after {Attempts} attempt(s); giving up", method, attempt + 1);
                }
                else if (quiet)
                    _log.LogDebug("Slack {Method} got no answer in time", method);
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
                    var (retry, posted) = await AfterAmbiguousFailureAsync(findPosted, method, $"HTTP {status}", ++transient, attempt, firstTry.Value, ct);
                    if (posted is not null) return posted;
                    if (retry) continue;
                    _log.LogWarning("Slack {Method} answered HTTP {Status} after {Attempts} attempt(s); giving up", method, status, attempt + 1);
                    return SlackApiResult.Failed($"http_{status}");
                }

                var result = await ReadResultAsync(response, ct);
                if (!result.Ok)
                {
                    if (quiet)
                        _log.LogDebug("Slack {Method} returned ok:false, error {Error} (HTTP {Status})", method, result.Error, (int)response.StatusCode);
                    else
                        _log.LogWarning("Slack {Method} returned ok:false, error {Error} (HTTP {Status})", method, result.Error, (int)response.StatusCode);
                    if (result.Error is not null && FatalAuthErrors.Contains(result.Error))
                    {
                        if (kind == TokenKind.Bot) _botTokenRefused = result.Error; else _appTokenRefused = result.Error;
                        _log.LogError("Slack refused the {Kind} token ({Error}); no further calls with it until restart", kind, result.Error);
                    }
                    else if (!quiet && result.Error is not null && PermanentErrors.TryGetValue(result.Error, out var fix))
                    {
                        _log.LogError("Slack {Method} refused for good ({Error}): {Fix}", method, result.Error, fix);
                    }
                }
                return result;
            }
        }
    }

    private async Task PaceAsync(string method, string? paceChannel, bool readPace, CancellationToken ct)
    {
        if (paceChannel is null && !readPace) return;
        var wait = readPace ? _readPacer.Reserve(method) : _pacer.Reserve(paceChannel!);
        if (wait <= TimeSpan.Zero) return;
        // Waiting for the channel's slot is no answering: the worker goes to the next question (maybe another
        // channel's) meanwhile, or one busy channel would hold every worker.
        WorkDispatcher.YieldSlot();
        await Task.Delay(wait, _time, ct);
    }

    /// <summary>
    /// After the <paramref name="failures"/>th ambiguous failure (a 5xx, a timeout, a failed connection) of a call that
    /// retries them: waits the backoff when a retry is left, then — before the retry, and once after the last try too —
    /// asks whether Slack had posted it after all. <c>Posted</c>: the post found, which ends the call; else
    /// <c>Retry</c>: try again, or (false) give up.
    /// </summary>
    private async Task<(bool Retry, SlackApiResult? Posted)> AfterAmbiguousFailureAsync(
        Func<DateTimeOffset, CancellationToken, Task<SlackApiResult?>>? findPosted, string method, string reason, int failures,
        int attempt, DateTimeOffset firstTry, CancellationToken ct)
    {
        var retry = await WaitBeforeTransientRetryAsync(method, reason, failures, attempt, ct);
        return (retry, await PostedAfterAllAsync(findPosted, method, reason, firstTry, ct));
    }

    /// <summary>After a post's ambiguous failure: the post found in the conversation (log line and result), or null
    /// (not found, or nothing to look with).</summary>
    private async Task<SlackApiResult?> PostedAfterAllAsync(Func<DateTimeOffset, CancellationToken, Task<SlackApiResult?>>? findPosted,
        string method, string reason, DateTimeOffset firstTry, CancellationToken ct)
    {
        if (findPosted is null || await findPosted(firstTry, ct) is not { } posted) return null;
        _log.LogInformation("Slack {Method} failed ({Reason}) but Slack had posted the message; not posting it again", method, reason);
        return posted;
    }

    /// <summary>
    /// Looks for the post <paramref name="postId"/> sent since <paramref name="since"/> (less a margin for Slack's
    /// clock): in the thread with <c>conversations.replies</c> (thread replies are not in the channel's history), else
    /// with <c>conversations.history</c>, metadata included, one small page. The found post as a
    /// <c>chat.postMessage</c> result, or null — not found, or the check itself failed (no scope, not in the channel,
    /// an error, rate limited): then the caller retries as it would without the check, and why is logged once.
    /// </summary>
    private async Task<SlackApiResult?> FindPostAsync(string channel, string? threadTs, string postId, DateTimeOffset since, CancellationToken ct)
    {
        var method = string.IsNullOrEmpty(threadTs) ? "conversations.history" : "conversations.replies";
        var query = new JsonObject
        {
            ["channel"] = channel,
            ["oldest"] = ToTs(since - PostCheckMargin),
            ["inclusive"] = true,
            ["limit"] = PostCheckLimit,
            ["include_all_metadata"] = true,
        };
        if (!string.IsNullOrEmpty(threadTs)) query["ts"] = threadTs;
        var r = await CallAsync(method, TokenKind.Bot, query, null, ct, form: true, quiet: true, readPace: true);
        if (!r.Ok)
        {
            var error = r.Error ?? "unknown_error";
            var fix = PermanentErrors.TryGetValue(error, out var f) ? " " + f : "";
            if (_checkUnavailableLogged.TryAdd(method + ":" + error, 0))
                _log.LogInformation("Slack {Method} failed ({Error}), so a post whose failure was ambiguous is retried without checking whether Slack had posted it; it may show twice.{Fix}",
                    method, error, fix);
            else
                _log.LogDebug("Slack {Method} failed ({Error}); retrying the post unchecked", method, error);
            return null;
        }
        if (r.Body.ValueKind == JsonValueKind.Object && r.Body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            foreach (var m in messages.EnumerateArray())
                if (IsPost(m, postId))
                {
                    var found = new JsonObject { ["ok"] = true, ["channel"] = channel, ["message"] = JsonNode.Parse(m.GetRawText()) };
                    if (m.TryGetProperty("ts", out var ts) && ts.ValueKind == JsonValueKind.String) found["ts"] = ts.GetString();
                    using var doc = JsonDocument.Parse(found.ToJsonString());
                    return new SlackApiResult(true, null, doc.RootElement.Clone());
                }
        _log.LogDebug("Slack {Method}: the post that failed is not in {Channel}", method, channel);
        return null;
    }

    private static bool IsPost(JsonElement message, string postId) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object
        && md.TryGetProperty("event_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == AnswerEventType
        && md.TryGetProperty("event_payload", out var p) && p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("post_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == postId;

    /// <summary>A Slack <c>ts</c> ("seconds.micros") for a moment.</summary>
    internal static string ToTs(DateTimeOffset at)
    {
        var micros = Math.Max(0, (at - DateTimeOffset.UnixEpoch).Ticks / 10);
        return (micros / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static string FormValue(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

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
