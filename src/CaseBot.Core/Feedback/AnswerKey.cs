using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Core.Feedback;

/// <summary>
/// A short stable id for "this answer to this question": the same question (case and spacing aside) answered with
/// the same text gets the same key on every platform, shard and restart, so votes on it add up and an adapter can
/// put the key in a button's custom id (16 hex characters) without asking the store for one.
/// </summary>
public static class AnswerKey
{
    public const int Length = 16;

    public static string For(string question, string answerText)
    {
        var normalised = string.Join(' ', (question ?? "").ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(normalised + "\n" + (answerText ?? "")));
        return Convert.ToHexStringLower(bytes)[..Length];
    }

    public static string For(Answering.Answer answer) => For(answer.Question, answer.Text);

    /// <summary>True for something shaped like a key (so a forged button id cannot carry anything else).</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: Length } && key.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
