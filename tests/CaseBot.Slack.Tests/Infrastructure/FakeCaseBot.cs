using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using CaseBot.TestSupport;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>The shared scripted engine with Slack's script: questions about the contract cite [004]; "channel" cites a
/// quote containing &lt;!channel&gt;; "???" is a usage error; anything else is declined.</summary>
internal sealed class FakeCaseBot() : ScriptedCaseBot(Docs, Script)
{
    public const string Quote004 = "City Hall cited procurement-rule breaches";
    public const string Title004 = "Mayor blocks £50m Met Police deal with Palantir";
    public const string HostileQuote = "Staff were told <!channel> & <@U999> to stop work on the deal";

    private static readonly DocumentInfo[] Docs =
    [
        new("002", "Palantir's policing work", "002.txt", "Palantir sells data platforms."),
        new("004", Title004, "004.txt", Quote004 + "."),
    ];

    private static Answer Script(string question)
    {
        var q = question.Trim();
        if (IsUnusable(q)) return UsageError(question, "Ask a question.");
        if (q.Contains("channel", StringComparison.OrdinalIgnoreCase)) return Cited(question, new Citation("004", Title004, HostileQuote));
        if (q.Contains("contract", StringComparison.OrdinalIgnoreCase) || q.Contains("block", StringComparison.OrdinalIgnoreCase))
            return Cited(question, new Citation("004", Title004, Quote004));
        return Declined(question, "002");
    }

    public override IndexStatus Status => new(DateTimeOffset.UnixEpoch, "fp", 2, 2, "corpus", "index");

    protected override ReindexResult Reindexed(string requestedBy) => new(true, 2, 2, 0.1, "Reindexed 2 documents (2 passages).", requestedBy);
}
