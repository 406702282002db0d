namespace CaseBot.Core.Tests;

/// <summary>The engine tests' names for the shared <see cref="RepoPaths"/> (CaseBot.TestSupport): no paths of their own.</summary>
internal static class TestPaths
{
    public static string RepoRoot => RepoPaths.Root;

    public static string Corpus => RepoPaths.Corpus;

    public static string NewScratch() => RepoPaths.NewTempFolder();

    /// <summary>A scratch copy of the real corpus, for tests that change files.</summary>
    public static string CopyOfCorpus() => RepoPaths.CopyOfCorpus();
}
