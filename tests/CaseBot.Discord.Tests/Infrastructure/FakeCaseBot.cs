using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using CaseBot.TestSupport;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>The shared scripted engine with Discord's script: questions about blocking cite [004]; symbols only are
/// a usage error; anything else is declined with [002] closest.</summary>
internal sealed class FakeCaseBot() : ScriptedCaseBot(Docs, DefaultAnswer)
{
    public const string BlockedTitle = "Sadiq Khan blocks £50m Met Police contract with Palantir";
    public const string BlockedQuote = "City Hall cited procurement-rule breaches when it blocked the deal.";

    private static readonly DocumentInfo[] Docs =
    [
        new("000", "Palantir and the Met: the background", "000.txt", "Palantir has worked with police forces for years."),
        new("004", BlockedTitle, "004.txt", "The mayor of London has blocked a £50m contract. " + BlockedQuote),
    ];

    public static Answer DefaultAnswer(string question) =>
        IsUnusable(question) ? UsageError(question)
        : question.Contains("block", StringComparison.OrdinalIgnoreCase) ? Cited(question, new Citation("004", BlockedTitle, BlockedQuote))
        : Declined(question, "002");

    protected override ReindexResult Reindexed(string requestedBy) => new(true, 2, 10, 0.5, "Indexed 2 documents, 10 passages.", requestedBy);
}
