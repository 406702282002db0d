using Microsoft.Extensions.Options;

namespace CaseBot.Core.Conversations;

/// <summary>One question of a thread: as asked, as resolved with the thread's context, and whether it was answered.</summary>
public sealed record ConversationTurn(string Asked, string Resolved, bool Answered, DateTimeOffset At);

/// <summary>
/// Short-lived memory of recent questions per thread (Slack thread ts, Discord reply chain or thread id), so a
/// follow-up can be read with the previous question as context. Bounded in threads, turns per thread and age
/// (by <see cref="TimeProvider"/>); kept in memory only, never written anywhere. Thread-safe.
/// </summary>
public sealed class ConversationMemory
{
    private readonly TimeProvider _time;
    private readonly ConversationOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, List<ConversationTurn> Turns)>> _threads = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, List<ConversationTurn> Turns)> _recency = new(); // most recent first

    public ConversationMemory(TimeProvider time, IOptions<ConversationOptions> options)
    {
        _time = time;
        _options = options.Value;
    }

    public ConversationMemory(TimeProvider time, ConversationOptions? options = null)
        : this(time, Microsoft.Extensions.Options.Options.Create(options ?? new ConversationOptions())) { }

    public TimeSpan MaxAge => TimeSpan.FromMinutes(_options.MaxAgeMinutes);

    public ConversationOptions Options => _options;

    /// <summary>Threads remembered now (expired ones included until next touched or pruned).</summary>
    public int ThreadCount
    {
        get { lock (_lock) return _threads.Count; }
    }

    /// <summary>The thread's turns still within <see cref="MaxAge"/>, oldest first; empty for an unknown thread.</summary>
    public IReadOnlyList<ConversationTurn> Turns(string threadKey)
    {
        lock (_lock)
        {
            if (!_threads.TryGetValue(threadKey, out var node)) return [];
            Expire(node);
            return node.Value.Turns.ToArray();
        }
    }

    /// <summary>The context a follow-up is read with: the latest answered turn, else the latest turn; null when none.</summary>
    public ConversationTurn? Context(string threadKey)
    {
        var turns = Turns(threadKey);
        return turns.LastOrDefault(t => t.Answered) ?? turns.LastOrDefault();
    }

    public void Record(string threadKey, string asked, string resolved, bool answered)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadKey);
        lock (_lock)
        {
            if (_threads.TryGetValue(threadKey, out var node))
            {
                _recency.Remove(node);
                Expire(node);
            }
            else
            {
                node = new LinkedListNode<(string, List<ConversationTurn>)>((threadKey, []));
                _threads[threadKey] = node;
            }
            _recency.AddFirst(node);
            var turns = node.Value.Turns;
            turns.Add(new ConversationTurn(asked, resolved, answered, _time.GetUtcNow()));
            if (turns.Count > _options.MaxTurns) turns.RemoveRange(0, turns.Count - _options.MaxTurns);
            while (_threads.Count > _options.MaxThreads) Drop(_recency.Last!);
            // Threads at the cold end that have gone quiet for longer than MaxAge take no more room.
            while (_recency.Last is { } oldest && oldest != node && IsExpired(oldest.Value.Turns[^1])) Drop(oldest);
        }
    }

    public void Forget(string threadKey)
    {
        lock (_lock)
        {
            if (_threads.TryGetValue(threadKey, out var node)) Drop(node);
        }
    }

    private bool IsExpired(ConversationTurn turn) => _time.GetUtcNow() - turn.At > MaxAge;

    private void Expire(LinkedListNode<(string Key, List<ConversationTurn> Turns)> node) =>
        node.Value.Turns.RemoveAll(IsExpired);

    private void Drop(LinkedListNode<(string Key, List<ConversationTurn> Turns)> node)
    {
        _threads.Remove(node.Value.Key);
        if (node.List is not null) _recency.Remove(node);
    }
}
