using System.Collections.Concurrent;
using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.TestSupport;

/// <summary>
/// The one fake engine: answers from <see cref="Answerer"/> over fixed documents, records every question and
/// reindex, and can hold questions in flight (<see cref="Hold"/> / <see cref="Release"/>, bounded so a failing test
/// cannot hang). Each test project derives its own script (documents, canned answers) from it.
/// </summary>
public class ScriptedCaseBot(IReadOnlyList<DocumentInfo> documents, Func<string, Answer> answerer) : ICaseBot
{
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private readonly ConcurrentQueue<string> _questions = new();
    private readonly ConcurrentQueue<string> _reindexes = new();

    public Func<string, Answer> Answerer { get; set; } = answerer;
    public IReadOnlyList<DocumentInfo> Documents { get; } = documents;

    /// <summary>Questions asked so far, in order.</summary>
    public IReadOnlyList<string> Questions => _questions.ToArray();
    public int Asks => _questions.Count;

    /// <summary>Who asked for each reindex, in order.</summary>
    public IReadOnlyList<string> Reindexes => _reindexes.ToArray();

    /// <summary>Completes when the first question reaches the engine.</summary>
    public TaskCompletionSource AskStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the requester of the first reindex.</summary>
    public TaskCompletionSource<string> FirstReindex { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Makes every Ask wait until <see cref="Release"/>.</summary>
    public void Hold() => _open.Reset();
    public void Release() => _open.Set();

    public Answer Ask(string question)
    {
        _questions.Enqueue(question);
        AskStarted.TrySetResult();
        _open.Wait(TimeSpan.FromSeconds(20));
        return Answerer(question);
    }

    public DocumentInfo? FindDocument(string id) => Documents.FirstOrDefault(d => d.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    public virtual IndexStatus Status => new(DateTimeOffset.UnixEpoch, "fp", Documents.Count, 10, "corpus", "index");

    public Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        _reindexes.Enqueue(requestedBy);
        FirstReindex.TrySetResult(requestedBy);
        return Task.FromResult(Reindexed(requestedBy));
    }

    /// <summary>What a reindex reports; by default a success over the fake documents.</summary>
    protected virtual ReindexResult Reindexed(string requestedBy) =>
        new(true, Documents.Count, 10, 0.1, $"Reindexed {Documents.Count} documents, 10 passages.", requestedBy);

    /// <summary>An answer quoting <paramref name="citations"/>, as the engine shapes it.</summary>
    public static Answer Cited(string question, params Citation[] citations) => new()
    {
        Question = question,
        Answered = true,
        Text = string.Join('\n', citations.Select(c => $"[{c.DocId}] {c.Quote}")),
        Citations = citations,
        Docs = citations.Select(c => new RankedDoc(c.DocId, 1)).ToList(),
    };

    public static Answer Declined(string question, string? closestDocId = null) =>
        new() { Question = question, Answered = false, Text = "The case documents don't say.", ClosestDocId = closestDocId };

    public static Answer UsageError(string question, string text = "") =>
        new() { Question = question, Answered = false, Text = text, IsUsageError = true };

    /// <summary>True for input the engine finds unusable: empty, or no letter or digit.</summary>
    public static bool IsUnusable(string question) => string.IsNullOrWhiteSpace(question) || question.All(c => !char.IsLetterOrDigit(c));
}
