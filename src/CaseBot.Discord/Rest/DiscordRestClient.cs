using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Rest;

/// <summary>
/// Discord REST over <see cref="HttpClient"/>, honouring the documented rate limits: per bucket (learned from
/// <c>X-RateLimit-Bucket</c>, waited out from <c>Remaining</c>/<c>Reset-After</c>), the global limit, and 429
/// replies. Never sends into a bucket known to be exhausted; gives up after a bounded number of tries; after a
/// 401 it refuses every further call, because Discord bans clients that keep making invalid requests.
/// </summary>
internal sealed class DiscordRestClient
{
    public const string UserAgent = "DiscordBot (https://github.com/casebot/casebot, 1.0)";
    private static readonly TimeSpan MaxServerErrorBackoff = TimeSpan.FromSeconds(8);
    private const int MaxTrackedBuckets = 1000;

    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly IBotMetrics _metrics;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly Uri _baseUri;
    private readonly GlobalLimiter _global;
    private readonly ConcurrentDictionary<string, string> _bucketHashByRoute = new();
    private readonly ConcurrentDictionary<string, BucketState> _buckets = new();
    private volatile bool _unauthorized;

    /// <summary>The invalid-request allowance and the channels the bot may not post in for now.</summary>
    internal InvalidRequestGuard Guard { get; }

    public DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, TimeProvider time, IBotMetrics metrics,
        ILogger<DiscordRestClient> logger)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _baseUri = new Uri(_options.ApiBaseUrl.TrimEnd('/') + "/");
        _global = new GlobalLimiter(time);
        Guard = new InvalidRequestGuard(time);
    }

    /// <summary>Sends one request; returns the parsed JSON body, or null for 204 / an empty body.</summary>
    public async Task<JsonElement?> SendAsync(DiscordRoute route, JsonNode? body, CancellationToken ct)
    {
        var serialized = body?.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            if (_unauthorized)
                throw new DiscordRestException(401, null, $"{route}: not sent, Discord already rejected the bot token (401).");
            if (Guard.Refusal(route) is { } refusal)
            {
                _logger.LogWarning("{Refusal}", refusal);
                throw new DiscordRestException(0, null, refusal);
            }

            var bucket = BucketFor(route);
            await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                await WaitForGlobalAsync(route, ct).ConfigureAwait(false);
                await WaitForBucketAsync(route, bucket, ct).ConfigureAwait(false);
                using var request = BuildRequest(route, serialized);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
                {
                    // HttpClient's timeout, not a stop: a transient network failure that callers back off from and retry,
                    // never a cancellation that would escape a hosted service and stop the host.
                    throw new HttpRequestException($"{route}: Discord did not answer within {_http.Timeout.TotalSeconds:0} s.", ex);
                }
                Learn(route, bucket, response);
                Guard.Record(route, (int)response.StatusCode, Header(response, "X-RateLimit-Scope"));
            }
            finally
            {
                bucket.Gate.Release();
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                    return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text).RootElement.Clone();

                if (status == 429)
                {
                    var wait = OnTooManyRequests(route, response, text);
                    if (attempt >= _options.MaxRestAttempts) throw GaveUp(route, attempt, status, text);
                    _logger.LogWarning("Discord rate limit on {Route}: waiting {Seconds:F2}s before try {Next}/{Max}.",
                        route, wait.TotalSeconds, attempt + 1, _options.MaxRestAttempts);
                    continue; // the wait happens in WaitForGlobal/WaitForBucket, which now know the reset
                }

                if (status >= 500 && attempt < _options.MaxRestAttempts)
                {
                    var backoff = TimeSpan.FromSeconds(Math.Min(MaxServerErrorBackoff.TotalSeconds, Math.Pow(2, attempt - 1)));
                    _logger.LogWarning("Discord answered {Status} on {Route}; retrying in {Seconds}s (try {Next}/{Max}).",
                        status, route, backoff.TotalSeconds, attempt + 1, _options.MaxRestAttempts);
                    await Task.Delay(backoff, _time, ct).ConfigureAwait(false);
                    continue;
                }

                if (status == 401)
                {
                    _unauthorized = true;
                    _logger.LogCritical("Discord rejected the bot token (401) on {Route}. No further REST calls will be made; check Discord__Token.", route);
                }
                else if (status >= 500)
                {
                    throw GaveUp(route, attempt, status, text);
                }
                throw Failure(route, status, text);
            }
        }
    }

    private BucketState BucketFor(DiscordRoute route)
    {
        // Interaction ids and tokens are major parameters too, so every interaction adds a bucket: forget idle ones.
        if (_buckets.Count > MaxTrackedBuckets) PruneIdleBuckets();
        var key = _bucketHashByRoute.TryGetValue(route.RouteKey, out var hash) ? hash : route.RouteKey;
        return _buckets.GetOrAdd(key + "|" + route.MajorParameter, _ => new BucketState());
    }

    internal int TrackedBuckets => _buckets.Count;

    private void PruneIdleBuckets()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, bucket) in _buckets)
            if (bucket.ResetAt <= now && bucket.Gate.CurrentCount == 1) _buckets.TryRemove(key, out _);
    }

    private async Task WaitForGlobalAsync(DiscordRoute route, CancellationToken ct)
    {
        // Requests queued on the 50-per-second limit wake together and most find it full again: count one wait per
        // request, when it starts (with the wait known then), not one per wake-up, or the metric grows with contention.
        var counted = false;
        while (true)
        {
            var wait = _global.TryAcquire(route.GlobalExempt);
            if (wait <= TimeSpan.Zero) return;
            if (!counted) _metrics.RateLimitWaited(DiscordPlatform.Name, wait);
            counted = true;
            await Task.Delay(WholeMilliseconds(wait), _time, ct).ConfigureAwait(false);
        }
    }

    private async Task WaitForBucketAsync(DiscordRoute route, BucketState bucket, CancellationToken ct)
    {
        var counted = false;
        while (bucket.Remaining is 0)
        {
            var wait = bucket.ResetAt - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                bucket.Remaining = null; // reset passed: the next response's headers say what is left
                return;
            }
            if (!counted)
            {
                _logger.LogDebug("Discord bucket for {Route} is exhausted; waiting {Seconds:F2}s for its reset.", route, wait.TotalSeconds);
                _metrics.RateLimitWaited(DiscordPlatform.Name, wait);
                counted = true;
            }
            await Task.Delay(WholeMilliseconds(wait), _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A wait rounded up to whole milliseconds: timers truncate, so a 0.4 ms wait would return at once and spin.</summary>
    private static TimeSpan WholeMilliseconds(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));

    private HttpRequestMessage BuildRequest(DiscordRoute route, string? body)
    {
        var request = new HttpRequestMessage(route.Method, new Uri(_baseUri, route.Path));
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (route.UsesBotToken)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Reads the X-RateLimit-* headers into the bucket state; moves the route onto its real bucket.</summary>
    private void Learn(DiscordRoute route, BucketState bucket, HttpResponseMessage response)
    {
        var now = _time.GetUtcNow();
        if (Header(response, "X-RateLimit-Bucket") is { Length: > 0 } hash)
        {
            _bucketHashByRoute[route.RouteKey] = hash;
            bucket = _buckets.GetOrAdd(hash + "|" + route.MajorParameter, bucket);
        }
        if (int.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
            bucket.Remaining = remaining;
        if (double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
            bucket.ResetAt = now + TimeSpan.FromSeconds(resetAfter);
    }

    /// <summary>Records a 429 so that no request goes out before it has passed; returns the wait.</summary>
    private TimeSpan OnTooManyRequests(DiscordRoute route, HttpResponseMessage response, string body)
    {
        double? retryAfter = null;
        var global = string.Equals(Header(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("retry_after", out var ra) && ra.ValueKind == JsonValueKind.Number) retryAfter = ra.GetDouble();
            if (doc.RootElement.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True) global = true;
        }
        catch (JsonException)
        {
            // Cloudflare-level 429s are HTML; fall back to the Retry-After header.
        }
        if (retryAfter is null && double.TryParse(Header(response, "Retry-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var header))
            retryAfter = header;
        var wait = TimeSpan.FromSeconds(Math.Max(0, retryAfter ?? 1));
        var until = _time.GetUtcNow() + wait;
        var scope = Header(response, "X-RateLimit-Scope") ?? (global ? "global" : "user");

        if (global)
        {
            _global.PauseUntil(until);
        }
        else
        {
            var bucket = BucketFor(route);
            bucket.Remaining = 0;
            if (until > bucket.ResetAt) bucket.ResetAt = until;
        }
        _logger.LogInformation("Discord 429 on {Route}, scope {Scope}{Global}.", route, scope, global ? " (all requests paused)" : "");
        return wait;
    }

    private DiscordRestException GaveUp(DiscordRoute route, int attempts, int status, string body)
    {
        _logger.LogError("Giving up on Discord {Route} after {Attempts} tries (last status {Status}).", route, attempts, status);
        return new DiscordRestException(status, ErrorCode(body), $"{route}: gave up after {attempts} tries (last status {status}).");
    }

    private static DiscordRestException Failure(DiscordRoute route, int status, string body)
    {
        var code = ErrorCode(body);
        var message = ErrorMessage(body);
        return new DiscordRestException(status, code,
            $"{route}: Discord answered {status}{(code is null ? "" : $" (code {code})")}{(message is null ? "" : $": {message}")}.");
    }

    private static int? ErrorCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var code) ? code : null;
        }
        catch (JsonException) { return null; }
    }

    private static string? ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
