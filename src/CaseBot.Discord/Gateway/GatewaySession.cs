namespace CaseBot.Discord.Gateway;

/// <summary>
/// What survives from one gateway connection to the next: the session to resume (id, resume URL, last sequence),
/// who the bot is, when it last identified, and how many connections in a row failed. Thread-safe for readers.
/// </summary>
internal sealed class GatewaySession
{
    private long _lastSequence = -1;
    private volatile bool _connected;

    public string? SessionId { get; private set; }
    public Uri? ResumeUrl { get; private set; }
    public string? BotUserId { get; private set; }
    public DateTimeOffset? LastIdentifyAt { get; set; }

    /// <summary>Connections in a row that never reached READY / RESUMED.</summary>
    public int Failures { get; set; }

    public bool IsConnected { get => _connected; set => _connected = value; }

    public bool CanResume => SessionId is not null && ResumeUrl is not null;

    public long? LastSequence => Interlocked.Read(ref _lastSequence) is var v && v >= 0 ? v : null;

    /// <summary>Takes a dispatch's sequence; false for a replay at or below the last one seen (already handled).</summary>
    public bool Advance(long sequence)
    {
        if (LastSequence is { } last && sequence <= last) return false;
        Interlocked.Exchange(ref _lastSequence, sequence);
        return true;
    }

    /// <summary>Takes READY's session; throws <see cref="FormatException"/> when a field it needs is missing.</summary>
    public void Ready(ReadyData ready)
    {
        // The source-generated reader leaves a missing field null, whatever the record says.
        var userId = ready.User?.Id ?? throw new FormatException("READY without user.id");
        var resumeUrl = new Uri(ready.ResumeGatewayUrl ?? throw new FormatException("READY without resume_gateway_url"));
        SessionId = ready.SessionId ?? throw new FormatException("READY without session_id");
        ResumeUrl = resumeUrl;
        BotUserId = userId;
        Resumed();
    }

    public void Resumed()
    {
        IsConnected = true;
        Failures = 0;
        LiveConnections++;
    }

    /// <summary>Connections that reached READY or RESUMED, ever: tells whether the last one did.</summary>
    public int LiveConnections { get; private set; }

    /// <summary>Forgets the session: the next connection identifies.</summary>
    public void Clear()
    {
        SessionId = null;
        ResumeUrl = null;
        Interlocked.Exchange(ref _lastSequence, -1);
    }
}
