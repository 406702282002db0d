using System.Text;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Hosting;
using CaseBot.Core.Indexing;
using CaseBot.Core.Pipeline;

namespace CaseBot.Discord.Formatting;

/// <summary>
/// Turns core answers into Discord message content: each quote on its own block-quote line led by its
/// <c>[004]</c> citation, then the cited documents' titles. Everything from the corpus is markdown-escaped, and
/// the result never exceeds Discord's 2,000-character content limit.
/// </summary>
internal static class DiscordAnswerFormatter
{
    public const int MaxContentLength = 2000;
    private const int MaxTitleLength = 120;
    private const int MaxQuotesShown = 5;

    /// <summary>The usage help, from the configured profile (no case is baked into the code).</summary>
    public static string Usage(BotProfileOptions profile) => DiscordMarkdown.Truncate(
        $"Ask me about {DiscordMarkdown.Escape(profile.Description)}: `/ask question: {profile.ExampleQuestion.Replace("`", "'")}`, " +
        "or mention me with your question. `/source id:` with a document id shows that document.", MaxContentLength);

    /// <summary>What the pipeline decided, as message content: the answer, the usage help, or the refusal.</summary>
    public static string Render(QuestionResult result, BotProfileOptions profile) => result.Outcome switch
    {
        QuestionOutcome.Refused => Plain(result.Refusal ?? "Not now."),
        QuestionOutcome.UsageError => Usage(profile),
        _ => Format(result.Answer!, profile),
    };

    /// <summary>The key the feedback buttons carry: set for an answer or a decline, null for refusals and usage help.</summary>
    public static string? FeedbackKey(QuestionResult result) =>
        result.Outcome is QuestionOutcome.Answered or QuestionOutcome.Declined && result.Answer is { } answer
            ? Core.Feedback.AnswerKey.For(answer)
            : null;

    public static string Format(Answer answer, BotProfileOptions? profile = null)
    {
        if (answer.IsUsageError) return Usage(profile ?? new BotProfileOptions());
        return answer.Answered && answer.Citations.Count > 0 ? FormatAnswered(answer) : FormatDeclined(answer);
    }

    private static string FormatAnswered(Answer answer)
    {
        var header = string.IsNullOrWhiteSpace(answer.Short) ? "" : $"**{DiscordMarkdown.Escape(answer.Short)}**\n";
        var titles = answer.Citations
            .GroupBy(c => c.DocId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Title, StringComparer.OrdinalIgnoreCase);

        var lines = new List<string>();
        var shownDocs = new List<string>();
        var used = header.Length;
        foreach (var citation in answer.Citations.Take(MaxQuotesShown))
        {
            var docs = shownDocs.Contains(citation.DocId, StringComparer.OrdinalIgnoreCase) ? shownDocs : [.. shownDocs, citation.DocId];
            var room = MaxContentLength - used - SourcesLine(docs, titles).Length - 1;
            var line = $"> {Cite(citation.DocId)} {DiscordMarkdown.Escape(citation.Quote)}";
            if (line.Length > room)
            {
                if (lines.Count > 0) break; // drop later quotes rather than cut one
                line = DiscordMarkdown.Truncate(line, Math.Max(room, 0));
            }
            lines.Add(line);
            used += line.Length + 1;
            shownDocs = docs;
        }

        var sb = new StringBuilder(header);
        foreach (var line in lines) sb.Append(line).Append('\n');
        sb.Append(SourcesLine(shownDocs, titles));
        return DiscordMarkdown.Truncate(sb.ToString(), MaxContentLength);
    }

    private static string FormatDeclined(Answer answer)
    {
        var text = string.IsNullOrWhiteSpace(answer.Text) ? "The case documents don't say." : answer.Text.Trim();
        var sb = new StringBuilder(DiscordMarkdown.Escape(text));
        if (answer.ClosestDocId is { } closest)
            sb.Append("\nClosest document: ").Append(Cite(closest));
        return DiscordMarkdown.Truncate(sb.ToString(), MaxContentLength);
    }

    public static string FormatSource(DocumentInfo doc, int openingChars = 600)
    {
        var head = $"{Cite(doc.Id)} **{DiscordMarkdown.Escape(Shorten(doc.Title, MaxTitleLength))}**\n> ";
        return DiscordMarkdown.Truncate(head + DiscordMarkdown.Escape(doc.Opening(openingChars)), MaxContentLength);
    }

    public static string FormatUnknownSource(string requested, IReadOnlyList<DocumentInfo> docs)
    {
        var sb = new StringBuilder($"There is no document `{DiscordMarkdown.Escape(Shorten(requested, 40)).Replace("`", "'")}`. Documents:");
        foreach (var doc in docs) sb.Append('\n').Append(Cite(doc.Id)).Append(' ').Append(DiscordMarkdown.Escape(Shorten(doc.Title, MaxTitleLength)));
        return DiscordMarkdown.Truncate(sb.ToString(), MaxContentLength);
    }

    public static string FormatReindex(ReindexResult result) =>
        DiscordMarkdown.Truncate((result.Succeeded ? "Reindexed: " : "Reindex failed: ") + DiscordMarkdown.Escape(result.Message), MaxContentLength);

    public static string Plain(string text) => DiscordMarkdown.Truncate(DiscordMarkdown.Escape(text), MaxContentLength);

    private static string SourcesLine(IEnumerable<string> docIds, IReadOnlyDictionary<string, string> titles) =>
        "Sources: " + string.Join(" · ", docIds.Select(id =>
            $"{Cite(id)} *{DiscordMarkdown.Escape(Shorten(titles.TryGetValue(id, out var t) ? t : "", MaxTitleLength))}*"));

    /// <summary>The citation as users know it, <c>[004]</c>. Never followed by "(", so it cannot form a masked link.</summary>
    private static string Cite(string docId) => $"[{DiscordMarkdown.Escape(docId)}]";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";
}
