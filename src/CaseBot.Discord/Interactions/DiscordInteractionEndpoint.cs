using System.Text.Json;
using System.Text.Json.Nodes;
using CaseBot.Discord.Formatting;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Interactions;

/// <summary>What the host writes back: status code and a JSON body (content type <c>application/json</c>).</summary>
public sealed record DiscordHttpResponse(int StatusCode, string Body)
{
    public string ContentType => "application/json";
}

/// <summary>
/// The logic of Discord's HTTP interactions endpoint (used when <c>Discord:PublicKey</c> is set), free of any web
/// framework: the host mounts it (e.g. <c>POST /discord/interactions</c>) and passes the two signature headers and
/// the raw body. Bad or missing signatures get 401 (Discord probes with deliberately bad ones); PING gets PONG;
/// commands get their first response as the HTTP reply, and any later edit goes over REST.
/// </summary>
public interface IDiscordInteractionEndpoint
{
    const string SignatureHeader = "X-Signature-Ed25519";
    const string TimestampHeader = "X-Signature-Timestamp";

    /// <summary>False when no public key is configured: the host should not mount the endpoint.</summary>
    bool Enabled { get; }

    Task<DiscordHttpResponse> HandleAsync(string? signature, string? timestamp, ReadOnlyMemory<byte> body, CancellationToken ct = default);
}

/// <summary>The <see cref="IDiscordInteractionEndpoint"/> of the Discord adapter.</summary>
internal sealed class DiscordInteractionEndpoint : IDiscordInteractionEndpoint
{
    /// <summary>Discord drops the request after 3 s; answer before that even if the handler misbehaves.</summary>
    private static readonly TimeSpan ResponseWindow = TimeSpan.FromSeconds(2.8);

    private readonly Ed25519SignatureVerifier? _verifier;
    private readonly InteractionHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordInteractionEndpoint> _logger;
    private readonly DiscordWorkQueue _queue;
    private readonly CaseBot.Adapters.EventDedupe _signatures;

    public DiscordInteractionEndpoint(IOptions<DiscordOptions> options, InteractionHandler handler, DiscordWorkQueue queue,
        TimeProvider time, ILogger<DiscordInteractionEndpoint> logger)
    {
        _queue = queue;
        _signatures = new SignatureReplays(time);
        var key = options.Value.PublicKey;
        _verifier = string.IsNullOrEmpty(key) ? null : new Ed25519SignatureVerifier(key);
        _handler = handler;
        _time = time;
        _logger = logger;
    }

    public bool Enabled => _verifier is not null;

    /// <summary>A signed request replayed later is refused: its timestamp must be within <see cref="MaxAge"/> of now (as
    /// Slack's signing rules ask; Discord signs the timestamp but leaves the window to the app), and each signature is
    /// accepted once while it is fresh.</summary>
    internal static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private bool Fresh(string timestamp) =>
        long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && (_time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration() <= MaxAge;

    public async Task<DiscordHttpResponse> HandleAsync(string? signature, string? timestamp, ReadOnlyMemory<byte> body,
        CancellationToken ct = default)
    {
        var refusal = _verifier is null ? "no public key configured"
            : !_verifier.Verify(signature, timestamp, body.Span) ? "bad or missing signature"
            : !Fresh(timestamp!) ? "stale timestamp (a replay?)"
            : !_signatures.FirstTime(signature!) ? "a signature already used (a replay)"
            : null;
        if (refusal is not null)
        {
            _logger.LogWarning("Refused a Discord interaction request: {Why}.", refusal);
            return new DiscordHttpResponse(401, """{"error":"invalid request signature"}""");
        }

        DiscordInteraction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(body.Span, DiscordEventJson.Default.DiscordInteraction);
        }
        catch (JsonException)
        {
            interaction = null;
        }
        if (interaction is null)
        {
            _logger.LogWarning("Skipping a Discord HTTP interaction whose body could not be read ({Length} bytes).", body.Length);
            return new DiscordHttpResponse(400, """{"error":"body is not an interaction"}""");
        }

        var responder = new HttpReplyResponder();
        // The work outlives this request (a deferred answer is edited in later), so it runs on the adapter's work
        // queue, which lets it finish when the host stops instead of leaving the user on "thinking…".
        var work = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.TryEnqueue("Discord HTTP interaction", async token =>
            {
                try
                {
                    await _handler.HandleAsync(interaction, responder, token).ConfigureAwait(false);
                    work.TrySetResult();
                }
                catch (Exception ex)
                {
                    work.TrySetException(ex); // logged below, once
                }
            }))
            return new DiscordHttpResponse(503, """{"error":"busy or stopping"}""");
        var window = Task.Delay(ResponseWindow, _time, ct);
        var first = await Task.WhenAny(responder.FirstResponse, work.Task, window).ConfigureAwait(false);
        if (responder.FirstResponse.IsCompletedSuccessfully)
            return new DiscordHttpResponse(200, responder.FirstResponse.Result.ToJsonString());

        if (first == work.Task && work.Task.IsCompletedSuccessfully)
        {
            // The handler skipped it (an interaction type or shape CaseBot does not answer) and logged why: a client error,
            // not a server one.
            return new DiscordHttpResponse(400, """{"error":"interaction not handled"}""");
        }
        if (first == work.Task && work.Task.Exception is { } ex) _logger.LogError(ex.InnerException, "Handling a Discord HTTP interaction failed.");
        else _logger.LogWarning("A Discord HTTP interaction got no response in time.");
        return new DiscordHttpResponse(500, new JsonObject { ["error"] = "no response" }.ToJsonString());
    }
}

/// <summary>Signatures seen in the freshness window (twice <see cref="DiscordInteractionEndpoint.MaxAge"/>, covering
/// timestamps up to that far in the future).</summary>
internal sealed class SignatureReplays(TimeProvider time) : CaseBot.Adapters.EventDedupe(time, TimeSpan.FromMinutes(10), capacity: 100_000);
