namespace CaseBot.Web.Options;

/// <summary>Rate limit, channel allow-list and corpus watching. Bound from the <c>Moderation</c> section.</summary>
public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    /// <summary>Questions one user may ask per <see cref="WindowSeconds"/>; 0 turns the limit off.</summary>
    public int QuestionsPerUser { get; set; } = 5;

    public double WindowSeconds { get; set; } = 30;

    /// <summary>Channel ids the bot answers in, separated by commas or spaces; each may carry a platform prefix
    /// (<c>discord:1234</c>, <c>slack:C0123</c>). Empty: every channel.</summary>
    public string AllowedChannels { get; set; } = "";

    /// <summary>Reindex when the corpus folder changes.</summary>
    public bool WatchCorpus { get; set; } = true;

    /// <summary>Quiet time after the last change before reindexing, so a copy of several files is one reindex.</summary>
    public double WatchDebounceSeconds { get; set; } = 3;

    /// <summary>Also compare the folder every this many seconds (file events do not cross some Docker bind
    /// mounts and network shares); 0: events only.</summary>
    public double WatchPollSeconds { get; set; } = 30;
}
