namespace CaseBot.Core.Tests;

/// <summary>One engine over the real case corpus, built once for the tests that only ask questions.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Bot = OpenCase();
    }

    /// <summary>A bot over the real case corpus with its own scratch index, and engine settings when a test needs others.</summary>
    public static CaseBotService OpenCase(Answering.EngineSettings? settings = null) =>
        CaseBotService.Open(new CaseBotOptions { CorpusPath = TestPaths.Corpus, IndexPath = TestPaths.NewScratch() }, settings);

    public CaseBotService Bot { get; }

    public void Dispose() => Bot.Dispose();
}

/// <summary>
/// The same corpus with the decider's threshold at zero: for tests that pin what an answer is made of (its quote,
/// its short answer, its dates) rather than whether the decider takes the question.
/// </summary>
public sealed class AnswerAllFixture : IDisposable
{
    public AnswerAllFixture()
    {
        Bot = EngineFixture.OpenCase(Answering.EngineSettings.Default with { AnswerThreshold = 0 });
    }

    public CaseBotService Bot { get; }

    public void Dispose() => Bot.Dispose();
}
