using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using CaseBot.Slack.Commands;
using CaseBot.Slack.Events;
using CaseBot.Slack.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Http;

/// <summary>What to send back to Slack for one request.</summary>
public sealed record SlackHttpResponse(int Status, string ContentType, string Body)
{
    internal static SlackHttpResponse Ok(string body = "") => new(200, "text/plain; charset=utf-8", body);
    internal static SlackHttpResponse Json(JsonNode body) => new(200, "application/json; charset=utf-8", body.ToJsonString());
    internal static readonly SlackHttpResponse Unauthorized = new(401, "text/plain; charset=utf-8", "invalid request signature");
    internal static readonly SlackHttpResponse BadRequest = new(400, "text/plain; charset=utf-8", "unrecognised Slack request");
    /// <summary>Not acknowledged, so Slack retries later: the work queue is full or the host is stopping.</summary>
    internal static readonly SlackHttpResponse Busy = new(503, "text/plain; charset=utf-8", "busy, retry later");
}

/// <summary>
/// HTTP mode: Slack's Events API and slash commands POSTed to a Request URL. The host mounts this on its web
/// server (e.g. <c>POST /slack/events</c> and <c>POST /slack/commands</c>, or one path for both) and passes the
/// headers and the raw body; the answer comes back as status, content type and body. Every request must carry a
/// valid signature (401 otherwise); work is queued so Slack gets its 200 well inside 3 seconds.
/// </summary>
public interface ISlackHttpEndpoint
{
    /// <param name="headers">Request headers; names are matched case-insensitively.</param>
    /// <param name="body">The raw body bytes exactly as received (the signature covers them).</param>
    SlackHttpResponse Handle(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body);
}

/// <summary>The <see cref="ISlackHttpEndpoint"/> of the Slack adapter.</summary>
internal sealed class SlackHttpHandler : ISlackHttpEndpoint
{
    private readonly SlackRequestVerifier _verifier;
    private readonly SlackEventHandler _events;
    private readonly SlashCommandHandler _commands;
    private readonly SlackWorkQueue _queue;
    private readonly ILogger<SlackHttpHandler> _log;

    public SlackHttpHandler(IOptions<SlackOptions> options, TimeProvider time, SlackEventHandler events,
        SlashCommandHandler commands, SlackWorkQueue queue, ILogger<SlackHttpHandler> log)
    {
        _verifier = new SlackRequestVerifier(options.Value.SigningSecret, time);
        _events = events;
        _commands = commands;
        _queue = queue;
        _log = log;
    }

    /// <param name="headers">Request headers; names are matched case-insensitively.</param>
    /// <param name="body">The raw body bytes exactly as received (the signature covers them).</param>
    public SlackHttpResponse Handle(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body)
    {
        var h = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in headers) h[k] = v;
        var contentType = h.GetValueOrDefault("Content-Type") ?? "";
        var text = Encoding.UTF8.GetString(body);
        var isForm = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

        // Slack's certificate check carries no signature and needs only a 200.
        if (isForm && HttpUtility.ParseQueryString(text)["ssl_check"] == "1") return SlackHttpResponse.Ok();

        var check = _verifier.Verify(h.GetValueOrDefault("X-Slack-Request-Timestamp"), h.GetValueOrDefault("X-Slack-Signature"), body);
        if (check != SignatureCheck.Valid)
        {
            _log.LogWarning("Slack HTTP request refused: {Check}", check);
            return SlackHttpResponse.Unauthorized;
        }

        return isForm ? HandleForm(text) : HandleJson(text, h.GetValueOrDefault("X-Slack-Retry-Num"));
    }

    private SlackHttpResponse HandleForm(string text)
    {
        var form = HttpUtility.ParseQueryString(text);
        if (form["payload"] is not null)
        {
            _log.LogDebug("Slack interactive payload acknowledged; CaseBot does not handle it");
            return SlackHttpResponse.Ok();
        }
        var cmd = SlashCommand.FromForm(text);
        if (cmd is null)
        {
            _log.LogWarning("Slack HTTP form without command, user or channel skipped ({Length} chars)", text.Length);
            return SlackHttpResponse.BadRequest;
        }
        var outcome = _commands.Handle(cmd);
        // Shed load before the ack, never silently after it: the asker is told to try again.
        if (outcome.FollowUp is not null && !_queue.TryEnqueue("slash command " + cmd.Command, outcome.FollowUp))
            return SlackHttpResponse.Json(SlashCommandHandler.Ephemeral(SlashCommandHandler.BusyText));
        return outcome.Response is null ? SlackHttpResponse.Ok() : SlackHttpResponse.Json(outcome.Response);
    }

    private SlackHttpResponse HandleJson(string text, string? retryNum)
    {
        if (SlackJson.TryRead(text, SlackJson.Default.EventEnvelope) is not { } root)
        {
            _log.LogWarning("Slack HTTP request with malformed JSON skipped ({Length} chars)", text.Length);
            return SlackHttpResponse.BadRequest;
        }

        switch (root.Type)
        {
            case "url_verification":
                return SlackHttpResponse.Json(new JsonObject { ["challenge"] = root.Challenge ?? "" });
            case "event_callback":
                if (retryNum is not null)
                    _log.LogInformation("Slack redelivery {Retry} of event {EventId}", retryNum, root.EventId);
                // The event handler drops redeliveries by event_id; 200 either way so Slack stops retrying.
                // Full or stopping: no 200, so Slack delivers the event again later instead of losing it.
                return _queue.TryEnqueue("event " + root.EventId, ct => _events.HandleAsync(root, ct))
                    ? SlackHttpResponse.Ok()
                    : SlackHttpResponse.Busy;
            default:
                _log.LogDebug("Slack HTTP request of type {Type} acknowledged and skipped: CaseBot does not handle it",
                    root.Type is { Length: > 64 } type ? type[..64] + "…" : root.Type);
                return SlackHttpResponse.Ok();
        }
    }
}
