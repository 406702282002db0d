using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Web.Tests.Support;

/// <summary>
/// A tiny engine: questions mentioning "Palantir" are answered from document 001, anything else is declined with
/// 002 as the closest document, and blank questions are usage errors. Document 002's title and text carry markup
/// so that escaping is exercised.
/// </summary>
internal sealed class FakeCaseBot : ICaseBot
{
    public const string Quote = "The mayor blocked the £50m contract with Palantir.";
    public const string MarkupTitle = "<b id=\"injected\">Bold</b> & <script>window.pwned=1</script>";

    private readonly List<string> _reindexedBy = [];

    public FakeCaseBot(string corpusPath = "/tmp/fake-corpus", string fingerprint = "fake0fingerprint")
    {
        CorpusPath = corpusPath;
        Fingerprint = fingerprint;
        Documents =
        [
            new DocumentInfo("001", "Mayor blocks Palantir deal", "001_a.txt",
                "City Hall spoke on Tuesday. " + Quote + " The Met was disappointed."),
            new DocumentInfo("002", MarkupTitle, "002_b.txt", "Text with <img src=x onerror=\"window.pwned=2\"> markup."),
        ];
    }

    public string CorpusPath { get; }
    public string Fingerprint { get; set; }

    /// <summary>When set, <see cref="Ask"/> waits for it (to hold a question in flight).</summary>
    public ManualResetEventSlim? Hold { get; set; }
    public TaskCompletionSource AskStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool FailReindex { get; set; }
    public int Questions;

    public IReadOnlyList<string> ReindexedBy { get { lock (_reindexedBy) return _reindexedBy.ToList(); } }
    public TaskCompletionSource<string> FirstReindex { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<DocumentInfo> Documents { get; }

    public Answer Ask(string question)
    {
        Interlocked.Increment(ref Questions);
        AskStarted.TrySetResult();
        Hold?.Wait(TimeSpan.FromSeconds(20));
        if (string.IsNullOrWhiteSpace(question))
            return new Answer { Question = question, Answered = false, Text = "Ask me a question about the case.", IsUsageError = true };
        if (question.Contains("Palantir", StringComparison.OrdinalIgnoreCase))
            return new Answer
            {
                Question = question, Answered = true, Text = $"[001] {Quote}", Short = "£50m",
                Citations = [new Citation("001", Documents[0].Title, Quote)], Milliseconds = 1,
            };
        if (question.Contains("markup", StringComparison.OrdinalIgnoreCase))
            return new Answer
            {
                Question = question, Answered = true, Text = "[002] Text with <img src=x onerror=\"window.pwned=2\"> markup.",
                Citations = [new Citation("002", MarkupTitle, "Text with <img src=x onerror=\"window.pwned=2\"> markup.")],
            };
        return new Answer { Question = question, Answered = false, Text = "The case documents don't say.", ClosestDocId = "002" };
    }

    public DocumentInfo? FindDocument(string id) => Documents.FirstOrDefault(d => d.Id == id);

    public IndexStatus Status => new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), Fingerprint, 2, 3, CorpusPath, "/tmp/fake-index");

    public Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        lock (_reindexedBy) _reindexedBy.Add(requestedBy);
        FirstReindex.TrySetResult(requestedBy);
        return Task.FromResult(FailReindex
            ? new ReindexResult(false, 0, 0, 0.01, "Reindex failed, the previous index keeps answering: no documents.", requestedBy)
            : new ReindexResult(true, 2, 3, 0.01, "Reindexed 2 documents, 3 passages in 0.0 s.", requestedBy));
    }
}
