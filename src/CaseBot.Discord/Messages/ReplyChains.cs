using System.Collections.Concurrent;

namespace CaseBot.Discord.Messages;

/// <summary>
/// Which conversation each of the bot's recent answers belongs to (bot message id → thread key), so a reply to an
/// answer continues that reply chain's follow-up memory. Bounded: the oldest answers are forgotten first (a reply to
/// a forgotten answer starts a new chain at that answer). Memory only.
/// </summary>
internal sealed class ReplyChains
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

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
}
