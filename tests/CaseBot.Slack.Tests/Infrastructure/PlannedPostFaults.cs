using System.Collections.Concurrent;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>What an answer's chat.postMessage may meet in a seeded fault run. Slack posts nothing on the first four; it
/// posts the message before the last two fail (the ambiguous faults).</summary>
internal enum PostFault { RateLimited, Error500, Error502, Slow, PostedThen500, PostedThenSlow }

/// <summary>
/// The chat.postMessage faults of a seeded fault run (<c>SocketModeFaultInjectionTests</c>,
/// <c>EventsApiFaultInjectionTests</c>), planned per question (the thread its answer goes to) from the run's own random
/// and served to the fake through <see cref="FaultFor"/>, in turn to the answer's tries. Also what the run reads back:
/// the faults served, the answers posted and the tries, per question.
/// </summary>
/// <param name="httpTimeout">The client's HTTP timeout (real time): a slow fault replies after twice that.</param>
/// <param name="ambiguous">Plan the ambiguous faults too (<see cref="PostFault.PostedThen500"/>,
/// <see cref="PostFault.PostedThenSlow"/>); else only the first four kinds are drawn.</param>
internal sealed class PlannedPostFaults(FakeSlack slack, Random rng, TimeSpan httpTimeout, bool ambiguous)
{
    private readonly Dictionary<string, Queue<PostFault>> _planned = [];
    private readonly ConcurrentDictionary<PostFault, int> _served = new();
    private readonly int _kinds = ambiguous ? Enum.GetValues<PostFault>().Length : (int)PostFault.PostedThen500;

    /// <summary>For one question in three, 1–2 faults for its chat.postMessage tries, met in turn: at most one of them
    /// not a 429, so an unplanned timeout on a loaded machine still leaves the client a retry (3 transient failures lose
    /// the answer by design: bounded retries).</summary>
    public void Plan(string ts)
    {
        if (rng.Next(3) != 0) return;
        var faults = new Queue<PostFault>();
        for (var i = rng.Next(1, 3); i > 0; i--)
        {
            var kind = (PostFault)rng.Next(_kinds);
            faults.Enqueue(faults.Any(f => f != PostFault.RateLimited) ? PostFault.RateLimited : kind);
        }
        lock (_planned) _planned[ts] = faults;
    }

    /// <summary>The fake's <see cref="FakeSlack.FaultFor"/>: the next planned fault of the question a post answers.</summary>
    public FakeResponse? FaultFor(ApiCall call)
    {
        PostFault kind;
        lock (_planned)
        {
            if (call.Method != "chat.postMessage" || call.Str("thread_ts") is not { } ts || !_planned.TryGetValue(ts, out var planned)
                || !planned.TryDequeue(out kind)) return null;
        }
        _served.AddOrUpdate(kind, 1, (_, n) => n + 1); // counted as served, not as planned
        return kind switch
        {
            PostFault.RateLimited => new FakeResponse(429, Fixture.Text("web_api/ratelimited_429_body.json"), RetryAfter: (1 + call.Seq % 5).ToString()),
            PostFault.Error500 => new FakeResponse(500, Fixture.Text("web_api/fatal_error_body.json")),
            PostFault.Error502 => new FakeResponse(502, "<html>502 Bad Gateway</html>"),
            PostFault.Slow => FakeResponse.Slow(httpTimeout * 2),
            PostFault.PostedThen500 => FakeResponse.ProcessedThen(500),
            _ => FakeResponse.ProcessedThenSlow(httpTimeout * 2),
        };
    }

    public int Served(PostFault kind) => _served.GetValueOrDefault(kind);

    public int ServedTotal => _served.Values.Sum();

    /// <summary>The faults served, as <c>chat.postMessage {kind}</c> and how many, for a run's description.</summary>
    public IEnumerable<KeyValuePair<string, int>> ServedCounts() =>
        _served.Select(s => KeyValuePair.Create("chat.postMessage " + s.Key, s.Value));

    /// <summary>Messages Slack processed, per question (the thread they answer).</summary>
    public Dictionary<string, int> AnswerCounts() =>
        slack.Posted.Snapshot().GroupBy(c => c.Str("thread_ts") ?? "?").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>chat.postMessage tries per question, every status.</summary>
    public Dictionary<string, int> TriesPerQuestion() =>
        slack.CallsTo("chat.postMessage").GroupBy(c => c.Str("thread_ts") ?? "?").ToDictionary(g => g.Key, g => g.Count());
}
