using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using CaseBot.TestSupport;

namespace CaseBot.Web.Tests.Support;

/// <summary>
/// The shared scripted engine with the console's script: questions mentioning "Palantir" are answered from document
/// 001, anything else is declined with 002 as the closest document, and blank questions are usage errors. Document
/// 002's title and text carry markup so that escaping is exercised.
/// </summary>
internal sealed class FakeCaseBot(string corpusPath = "/tmp/fake-corpus", string fingerprint = "fake0fingerprint")
    : ScriptedCaseBot(Docs, Script)
{
    public const string Quote = "The mayor blocked the £50m contract with Palantir.";
    public const string MarkupTitle = "<b id=\"injected\">Bold</b> & <script>window.pwned=1</script>";
    private const string MarkupText = "Text with <img src=x onerror=\"window.pwned=2\"> markup.";

    private static readonly DocumentInfo[] Docs =
    [
        new("001", "Mayor blocks Palantir deal", "001_a.txt", "City Hall spoke on Tuesday. " + Quote + " The Met was disappointed."),
        new("002", MarkupTitle, "002_b.txt", MarkupText),
    ];

    public string CorpusPath { get; } = corpusPath;
    public string Fingerprint { get; set; } = fingerprint;
    public bool FailReindex { get; set; }

    private static Answer Script(string question)
    {
        if (string.IsNullOrWhiteSpace(question)) return UsageError(question, "Ask me a question about the case.");
        if (question.Contains("Palantir", StringComparison.OrdinalIgnoreCase))
            return Cited(question, new Citation("001", Docs[0].Title, Quote)) with { Short = "£50m", Milliseconds = 1 };
        if (question.Contains("markup", StringComparison.OrdinalIgnoreCase))
            return Cited(question, new Citation("002", MarkupTitle, MarkupText));
        return Declined(question, "002");
    }

    public override IndexStatus Status => new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), Fingerprint, 2, 3, CorpusPath, "/tmp/fake-index");

    protected override ReindexResult Reindexed(string requestedBy) => FailReindex
        ? new ReindexResult(false, 0, 0, 0.01, "Reindex failed, the previous index keeps answering: no documents.", requestedBy)
        : new ReindexResult(true, 2, 3, 0.01, "Reindexed 2 documents, 3 passages in 0.0 s.", requestedBy);
}
