namespace CaseBot.Discord.Rest;

/// <summary>
/// Keeps the bot well clear of Discord's ban for invalid requests (10,000 responses of 401, 403 or 429 in 10 minutes
/// get the IP banned): counts them over a sliding 10 minutes and refuses to send once half the allowance is spent,
/// and after a 403 on a channel (missing access or permissions) stops trying that channel for a while. 429s of the
/// <c>shared</c> scope do not count, as Discord documents.
/// </summary>
internal sealed class InvalidRequestGuard(TimeProvider time, int budget = InvalidRequestGuard.DefaultBudget)
{
    public const int DefaultBudget = 5_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ChannelCooldown = TimeSpan.FromMinutes(10);
    private const string ChannelRoutePrefix = "/channels/{channel_id}";

    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _invalid = new();
    private readonly Dictionary<string, DateTimeOffset> _channelBlockedUntil = new(StringComparer.Ordinal);

    /// <summary>Invalid responses within the last 10 minutes.</summary>
    public int Count
    {
        get { lock (_lock) { Expire(time.GetUtcNow()); return _invalid.Count; } }
    }

    /// <summary>Why <paramref name="route"/> must not be sent now, or null when it may go.</summary>
    public string? Refusal(DiscordRoute route)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Expire(now);
            if (_invalid.Count >= budget)
                return $"{route}: not sent, {_invalid.Count} invalid requests (401/403/429) in the last 10 minutes; waiting for that to fall.";
            if (IsChannelRoute(route) && _channelBlockedUntil.TryGetValue(route.MajorParameter, out var until))
            {
                if (now < until) return $"{route}: not sent, the bot had no access to this channel (403) a moment ago; retrying after {until:HH:mm:ss}.";
                _channelBlockedUntil.Remove(route.MajorParameter);
            }
            return null;
        }
    }

    /// <summary>Counts an invalid response; a 403 on a channel route blocks that channel for <see cref="ChannelCooldown"/>.</summary>
    public void Record(DiscordRoute route, int status, string? rateLimitScope)
    {
        if (status is not (401 or 403 or 429) || (status == 429 && rateLimitScope == "shared")) return;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _invalid.Enqueue(now);
            if (status == 403 && IsChannelRoute(route)) _channelBlockedUntil[route.MajorParameter] = now + ChannelCooldown;
        }
    }

    private static bool IsChannelRoute(DiscordRoute route) => route.Template.StartsWith(ChannelRoutePrefix, StringComparison.Ordinal);

    private void Expire(DateTimeOffset now)
    {
        while (_invalid.Count > 0 && now - _invalid.Peek() >= Window) _invalid.Dequeue();
    }
}
