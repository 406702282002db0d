namespace CaseBot.Core.Tests;

/// <summary>Locations the tests share: the repository's real corpus and fresh scratch folders.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Corpus => Path.Combine(RepoRoot, "corpus");

    public static string NewScratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "casebot-tests", Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A scratch copy of the real corpus, for tests that change files.</summary>
    public static string CopyOfCorpus()
    {
        var dir = NewScratch();
        foreach (var f in Directory.GetFiles(Corpus)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CaseBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("CaseBot.sln not found above " + AppContext.BaseDirectory);
    }
}
