using System.Collections.Concurrent;

namespace CaseBot.Discord.Messages;

/// <summary>
/// Which conversation each of the bot's recent answers belongs to (bot message id → thread key), so a reply to an
/// answer continues that reply chain's follow-up memory. Bounded: the oldest answers are forgotten first (a reply to
/// a forgotten answer starts a new chain at that answer). Memory only.
/// It also knows which answers are being sent, per channel: an answer's id is learnt only from Discord's reply to
/// Create Message, and a member can reply to the answer before that reply is read. <see cref="KeyOfAsync"/> lets
/// such a reply wait, bounded, for the sends in its channel.
/// </summary>
internal sealed class ReplyChains
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly Lock _sendingLock = new();
    private readonly Dictionary<string, List<TaskCompletionSource>> _sending = new(StringComparer.Ordinal);

    /// <summary>The key of a chain that starts at <paramref name="messageId"/> in <paramref name="channelId"/>.</summary>
    public static string NewKey(string channelId, string messageId) => $"{channelId}:{messageId}";

    public bool Contains(string botMessageId) => _keys.ContainsKey(botMessageId);

    public string? KeyOf(string botMessageId) => _keys.TryGetValue(botMessageId, out var key) ? key : null;

    public void Add(string botMessageId, string threadKey)
    {
        if (!_keys.TryAdd(botMessageId, threadKey)) return;
        _order.Enqueue(botMessageId);
        while (_keys.Count > Capacity && _order.TryDequeue(out var oldest)) _keys.TryRemove(oldest, out _);
    }

    /// <summary>Marks an answer as being sent in <paramref name="channelId"/>; dispose the result once its id was
    /// <see cref="Add"/>ed, or the send failed.</summary>
    public IDisposable BeginSend(string channelId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sendingLock)
        {
            if (!_sending.TryGetValue(channelId, out var list)) _sending[channelId] = list = [];
            list.Add(done);
        }
        return new Sending(this, channelId, done);
    }

    /// <summary>Answers being sent in <paramref name="channelId"/> now.</summary>
    public int SendingIn(string channelId)
    {
        lock (_sendingLock) return _sending.TryGetValue(channelId, out var list) ? list.Count : 0;
    }

    /// <summary>
    /// The chain of answer <paramref name="botMessageId"/>, waiting for it while answers are being sent in
    /// <paramref name="channelId"/>: it returns as soon as the id is known, when no send is left in the channel, or
    /// after <paramref name="maxWait"/> on <paramref name="time"/>; null when the id is still unknown then.
    /// </summary>
    public async Task<string?> KeyOfAsync(string channelId, string botMessageId, TimeSpan maxWait, TimeProvider time, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (KeyOf(botMessageId) is { } key) return key;
            Task[] pending;
            lock (_sendingLock)
            {
                if (!_sending.TryGetValue(channelId, out var list)) return null;
                pending = list.Select(s => s.Task).ToArray();
            }
            var left = maxWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return null;
            try
            {
                await Task.WhenAny(pending).WaitAsync(left, time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return KeyOf(botMessageId);
            }
        }
    }

    private void EndSend(string channelId, TaskCompletionSource done)
    {
        lock (_sendingLock)
        {
            if (_sending.TryGetValue(channelId, out var list) && list.Remove(done) && list.Count == 0) _sending.Remove(channelId);
        }
        done.TrySetResult();
    }

    private sealed class Sending(ReplyChains owner, string channelId, TaskCompletionSource done) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.EndSend(channelId, done);
        }
    }
}
