using CaseBot.Core.Hosting;
using CaseBot.Web.Metrics;
using CaseBot.Web.Options;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Moderation;

/// <summary>Why a question was refused, and when the user may ask again.</summary>
public readonly record struct GateVerdict(GateDecision Decision, string? Reason, TimeSpan RetryAfter);

/// <summary>
/// The host's <see cref="IQuestionGate"/>: the channel allow-list, then a sliding-window limit per user
/// (per platform). Refused questions do not use up the allowance, so a user who waits is let in again.
/// </summary>
public sealed class ModerationQuestionGate : IQuestionGate
{
    private const int PruneEvery = 512;

    private readonly TimeProvider _time;
    private readonly PrometheusBotMetrics? _metrics;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly ChannelAllowList _channels;
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _checksSincePrune;

    public ModerationQuestionGate(IOptions<ModerationOptions> options, TimeProvider time, PrometheusBotMetrics? metrics = null)
    {
        var o = options.Value;
        _time = time;
        _metrics = metrics;
        _limit = o.QuestionsPerUser;
        _window = TimeSpan.FromSeconds(o.WindowSeconds);
        _channels = ChannelAllowList.Parse(o.AllowedChannels);
    }

    public ChannelAllowList Channels => _channels;

    public GateDecision Check(string platform, string userId, string? channelId)
    {
        var verdict = Evaluate(platform, userId, channelId);
        return verdict.Decision with { Reason = verdict.Reason, RetryAfter = verdict.RetryAfter };
    }

    /// <summary>Like <see cref="Check"/>, with the reason and wait that HTTP callers turn into 429 + Retry-After.</summary>
    public GateVerdict Evaluate(string platform, string userId, string? channelId)
    {
        // No channel (a DM-less surface such as the web console) is never subject to the allow-list.
        if (channelId is not null && !_channels.Allows(platform, channelId))
        {
            _metrics?.QuestionRefused(platform, "channel");
            return new(GateDecision.Refuse("I only answer questions in the channels the moderators chose for me."), "channel", TimeSpan.Zero);
        }
        if (_limit == 0) return new(GateDecision.Allow, null, TimeSpan.Zero);

        var now = _time.GetUtcNow();
        var key = platform + "\n" + userId;
        lock (_lock)
        {
            if (++_checksSincePrune >= PruneEvery) Prune(now);
            if (!_recent.TryGetValue(key, out var times)) _recent[key] = times = new Queue<DateTimeOffset>(_limit);
            while (times.Count > 0 && now - times.Peek() >= _window) times.Dequeue();
            if (times.Count >= _limit)
            {
                var wait = times.Peek() + _window - now;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                _metrics?.QuestionRefused(platform, "rate_limit");
                return new(GateDecision.Refuse(
                    $"You're asking faster than I can keep up: please wait {seconds} s and ask again " +
                    $"(up to {_limit} questions per {_window.TotalSeconds:0} s)."), "rate_limit", TimeSpan.FromSeconds(seconds));
            }
            times.Enqueue(now);
            return new(GateDecision.Allow, null, TimeSpan.Zero);
        }
    }

    /// <summary>Users tracked right now (for tests: idle users are forgotten).</summary>
    internal int TrackedUsers { get { lock (_lock) return _recent.Count; } }

    internal void PruneNow() { lock (_lock) Prune(_time.GetUtcNow()); }

    private void Prune(DateTimeOffset now)
    {
        _checksSincePrune = 0;
        foreach (var (key, times) in _recent.ToList())
        {
            while (times.Count > 0 && now - times.Peek() >= _window) times.Dequeue();
            if (times.Count == 0) _recent.Remove(key);
        }
    }
}
