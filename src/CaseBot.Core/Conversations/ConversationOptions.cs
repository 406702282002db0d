using System.ComponentModel.DataAnnotations;

namespace CaseBot.Core.Conversations;

/// <summary>How much of a thread CaseBot remembers, in memory only. Bound from the <c>Conversations</c> section
/// (<c>Conversations__MaxAgeMinutes</c>, …).</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversations";

    /// <summary>Threads remembered at once; the least recently active is forgotten first.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Conversations:MaxThreads must be between 1 and 1000000 (env Conversations__MaxThreads).")]
    public int MaxThreads { get; set; } = 10_000;

    /// <summary>Turns remembered per thread; older ones are forgotten.</summary>
    [Range(1, 100, ErrorMessage = "Conversations:MaxTurns must be between 1 and 100 (env Conversations__MaxTurns).")]
    public int MaxTurns { get; set; } = 6;

    /// <summary>A turn older than this is forgotten: a follow-up after a long pause is read as a new question.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Conversations:MaxAgeMinutes must be between 1 and 1440 (env Conversations__MaxAgeMinutes).")]
    public int MaxAgeMinutes { get; set; } = 30;

    /// <summary>Context words carried from the previous question into a follow-up, at most.</summary>
    [Range(1, 50, ErrorMessage = "Conversations:MaxCarriedWords must be between 1 and 50 (env Conversations__MaxCarriedWords).")]
    public int MaxCarriedWords { get; set; } = 8;
}
