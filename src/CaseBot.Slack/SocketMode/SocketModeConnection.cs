using System.Text.Json;
using System.Text.Json.Nodes;
using CaseBot.Slack.Events;
using Microsoft.Extensions.Logging;

namespace CaseBot.Slack.SocketMode;

/// <summary>Why a link stopped being useful: Slack asked us to move (<c>disconnect</c>), or the socket went away.</summary>
internal sealed record LinkEnd(bool IsDisconnectMessage, string Reason);

/// <summary>
/// One Socket Mode WebSocket and its read loop. Each envelope is acknowledged by <c>envelope_id</c> the moment it
/// is read — before any answering — and its work handed to the queue. A frame that is not valid JSON is logged and
/// skipped; the link stays up.
/// </summary>
internal sealed class SocketModeConnection : IAsyncDisposable
{
    private readonly ISocketModeLink _link;
    private readonly ISocketModeEnvelopeHandler _handler;
    private readonly SlackWorkQueue _queue;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LinkEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private int _disposed;

    public SocketModeConnection(int id, ISocketModeLink link, ISocketModeEnvelopeHandler handler, SlackWorkQueue queue,
        ILogger log, CancellationToken ct)
    {
        Id = id;
        _link = link;
        _handler = handler;
        _queue = queue;
        _log = log;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public int Id { get; }
    public Task Hello => _hello.Task;
    public Task<LinkEnd> Ended => _ended.Task;
    public bool IsUp => _hello.Task.IsCompletedSuccessfully && !_readLoop.IsCompleted;

    public void Start() => _readLoop = Task.Run(() => ReadLoopAsync(_stop.Token));

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var why = "closed by Slack";
        try
        {
            while (true)
            {
                var text = await _link.ReceiveAsync(ct);
                if (text is null) break;
                await ProcessAsync(text, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            why = "stopping";
        }
        catch (Exception ex)
        {
            why = "socket dropped: " + ex.GetType().Name;
            _log.LogWarning("Slack Socket Mode link #{Id} dropped: {Message}", Id, ex.Message);
        }
        finally
        {
            _hello.TrySetException(new IOException($"Slack Socket Mode link #{Id} ended before hello ({why})"));
            _ended.TrySetResult(new LinkEnd(false, why));
        }
    }

    private async Task ProcessAsync(string text, CancellationToken ct)
    {
        if (SlackJson.TryRead(text, SlackJson.Default.SocketModeEnvelope) is not { } envelope)
        {
            // Still ack when its id can be read: unacknowledged, Slack would deliver the same unreadable envelope again.
            var unreadable = EnvelopeIdOf(text);
            _log.LogWarning("Slack Socket Mode link #{Id}: malformed frame skipped ({Length} chars){Acked}", Id, text.Length,
                unreadable is null ? "" : "; acknowledged");
            if (unreadable is not null) await TryAckAsync(new JsonObject { ["envelope_id"] = unreadable }, "unreadable", ct);
            return;
        }

        var type = envelope.Type ?? "";
        var envelopeId = envelope.EnvelopeId;
        if (type == "hello")
        {
            _log.LogInformation("Slack Socket Mode link #{Id} ready (num_connections {Count})", Id, envelope.NumConnections?.ToString() ?? "?");
            _hello.TrySetResult();
            return;
        }
        if (type == "disconnect")
        {
            var reason = envelope.Reason ?? "unknown";
            _log.LogInformation("Slack Socket Mode link #{Id}: disconnect ({Reason})", Id, reason);
            _ended.TrySetResult(new LinkEnd(true, reason));
            return;
        }
        if (string.IsNullOrEmpty(envelopeId))
        {
            _log.LogDebug("Slack Socket Mode link #{Id}: {Type} message without envelope_id ignored", Id, type);
            return;
        }

        EnvelopeDecision decision;
        try
        {
            decision = _handler.Decide(type, envelope.Payload, envelope.AcceptsResponsePayload);
        }
        catch (Exception ex)
        {
            // Still ack: an envelope we cannot handle would otherwise be redelivered again and again.
            _log.LogError(ex, "Slack Socket Mode link #{Id}: {Type} envelope could not be handled", Id, type);
            decision = default;
        }

        if (decision.Work is not null && !_queue.CanAccept)
        {
            // Shed load before the ack, never after: an unacknowledged envelope is delivered again (Slack retries it),
            // an acknowledged one that is dropped is lost.
            _log.LogWarning("Slack Socket Mode link #{Id}: {Type} envelope not acknowledged: busy or stopping; Slack will redeliver", Id, type);
            return;
        }

        var ack = new JsonObject { ["envelope_id"] = envelopeId };
        if (decision.AckPayload is not null) ack["payload"] = decision.AckPayload;
        if (!await TryAckAsync(ack, type, ct)) return; // unacked, Slack redelivers it on another link: do the work then, not twice

        if (decision.Work is not null && !_queue.TryEnqueue(decision.What, decision.Work))
            _log.LogError("Slack Socket Mode link #{Id}: {What} acknowledged but the queue filled up in between; dropped", Id, decision.What);
    }

    private async Task<bool> TryAckAsync(JsonObject ack, string type, CancellationToken ct)
    {
        try
        {
            await _link.SendAsync(ack.ToJsonString(), ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _log.LogWarning("Slack Socket Mode link #{Id}: ack of {Type} envelope failed ({Message}); Slack will redeliver", Id, type, ex.Message);
            return false;
        }
    }

    /// <summary>The <c>envelope_id</c> of a frame that is JSON but not a readable envelope (a field of the wrong type);
    /// null when there is none, or the text is not JSON.</summary>
    private static string? EnvelopeIdOf(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("envelope_id", out var id)
                   && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 and <= 256 } value ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Closes the socket politely, lets the read loop drain what Slack still sends, then aborts.</summary>
    public async Task CloseAsync()
    {
        await _link.CloseAsync();
        try
        {
            await _readLoop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        await _link.DisposeAsync();
        try
        {
            await _readLoop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
    }
}
