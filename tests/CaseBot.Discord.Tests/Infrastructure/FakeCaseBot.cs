using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>A scripted engine: answers from <see cref="Answerer"/>, optionally held until released (slow answers).</summary>
internal sealed class FakeCaseBot : ICaseBot
{
    public const string BlockedTitle = "Sadiq Khan blocks £50m Met Police contract with Palantir";
    public const string BlockedQuote = "City Hall cited procurement-rule breaches when it blocked the deal.";

    private readonly ManualResetEventSlim _release = new(initialState: true);
    private int _asks;
    private int _reindexes;

    public Func<string, Answer> Answerer { get; set; } = DefaultAnswer;
    public int Asks => Volatile.Read(ref _asks);
    public int Reindexes => Volatile.Read(ref _reindexes);

    /// <summary>Makes every Ask wait until <see cref="Release"/> (bounded, so a failing test cannot hang).</summary>
    public void Hold() => _release.Reset();
    public void Release() => _release.Set();

    public static Answer Cited(string question, params Citation[] citations) => new()
    {
        Question = question,
        Answered = true,
        Text = string.Join('\n', citations.Select(c => $"[{c.DocId}] {c.Quote}")),
        Citations = citations,
        Docs = citations.Select(c => new RankedDoc(c.DocId, 1)).ToList(),
    };

    public static Answer DefaultAnswer(string question) =>
        string.IsNullOrWhiteSpace(question) || question.All(c => !char.IsLetterOrDigit(c))
            ? new Answer { Question = question, Answered = false, Text = "", IsUsageError = true }
            : question.Contains("block", StringComparison.OrdinalIgnoreCase)
                ? Cited(question, new Citation("004", BlockedTitle, BlockedQuote))
                : new Answer { Question = question, Answered = false, Text = "The case documents don't say.", ClosestDocId = "002" };

    public Answer Ask(string question)
    {
        Interlocked.Increment(ref _asks);
        _release.Wait(TimeSpan.FromSeconds(15));
        return Answerer(question);
    }

    public IReadOnlyList<DocumentInfo> Documents { get; } =
    [
        new("000", "Palantir and the Met: the background", "000.txt", "Palantir has worked with police forces for years."),
        new("004", BlockedTitle, "004.txt", "The mayor of London has blocked a £50m contract. " + BlockedQuote),
    ];

    public DocumentInfo? FindDocument(string id) => Documents.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));

    public IndexStatus Status => new(DateTimeOffset.UnixEpoch, "fp", 2, 10, "corpus", "index");

    public Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reindexes);
        return Task.FromResult(new ReindexResult(true, 2, 10, 0.5, "Indexed 2 documents, 10 passages.", requestedBy));
    }
}
