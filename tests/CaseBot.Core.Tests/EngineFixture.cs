namespace CaseBot.Core.Tests;

/// <summary>One engine over the real case corpus, built once for the tests that only ask questions.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = TestPaths.Corpus, IndexPath = TestPaths.NewScratch() });
    }

    public CaseBotService Bot { get; }

    public void Dispose() => Bot.Dispose();
}
