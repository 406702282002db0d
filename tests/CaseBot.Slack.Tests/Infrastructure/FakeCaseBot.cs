using System.Collections.Concurrent;
using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>A canned engine: questions about the contract cite [004]; "channel" cites a quote containing &lt;!channel&gt;;
/// "???" is a usage error; anything else is declined. Ask can be held to prove nothing waits on it.</summary>
internal sealed class FakeCaseBot : ICaseBot
{
    public const string Quote004 = "City Hall cited procurement-rule breaches";
    public const string Title004 = "Mayor blocks £50m Met Police deal with Palantir";
    public const string HostileQuote = "Staff were told <!channel> & <@U999> to stop work on the deal";

    private readonly ManualResetEventSlim _open = new(true);

    public ConcurrentQueue<string> Questions { get; } = new();
    public ConcurrentQueue<string> Reindexes { get; } = new();

    public void Hold() => _open.Reset();
    public void Release() => _open.Set();

    public IReadOnlyList<DocumentInfo> Documents { get; } =
    [
        new("002", "Palantir's policing work", "002.txt", "Palantir sells data platforms."),
        new("004", Title004, "004.txt", Quote004 + "."),
    ];

    public DocumentInfo? FindDocument(string id) => Documents.FirstOrDefault(d => d.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    public IndexStatus Status => new(DateTimeOffset.UnixEpoch, "fp", 2, 2, "corpus", "index");

    public Answer Ask(string question)
    {
        Questions.Enqueue(question);
        // Bounded so a broken test cannot hang the run.
        _open.Wait(TimeSpan.FromSeconds(20));
        var q = question.Trim();
        if (q.Length == 0 || q.All(c => !char.IsLetterOrDigit(c)))
            return new Answer { Question = question, Answered = false, Text = "Ask a question.", IsUsageError = true };
        if (q.Contains("channel", StringComparison.OrdinalIgnoreCase))
            return Cited(question, new Citation("004", Title004, HostileQuote));
        if (q.Contains("contract", StringComparison.OrdinalIgnoreCase) || q.Contains("block", StringComparison.OrdinalIgnoreCase))
            return Cited(question, new Citation("004", Title004, Quote004));
        return new Answer { Question = question, Answered = false, Text = "The case documents don't say.", ClosestDocId = "002" };
    }

    private static Answer Cited(string question, Citation c) => new()
    {
        Question = question, Answered = true, Text = $"[{c.DocId}] {c.Quote}", Citations = [c], Docs = [new RankedDoc(c.DocId, 1)],
    };

    public Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        Reindexes.Enqueue(requestedBy);
        return Task.FromResult(new ReindexResult(true, 2, 2, 0.1, "Reindexed 2 documents (2 passages).", requestedBy));
    }
}
