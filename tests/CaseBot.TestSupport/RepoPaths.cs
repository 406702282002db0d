namespace CaseBot.TestSupport;

/// <summary>Folders of the repository the tests run from (CI runs on a clean clone, so never /work/shared), and
/// scratch folders. The one "find CaseBot.sln" helper.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding CaseBot.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The repository's <c>corpus/</c>.</summary>
    public static string Corpus => Path.Combine(Root, "corpus");

    /// <summary>A fresh folder under the temp directory, created.</summary>
    public static string NewTempFolder(string prefix = "casebot-tests")
    {
        var path = Path.Combine(Path.GetTempPath(), prefix, Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A fresh path under the temp directory for one index, not yet created (the engine creates it).</summary>
    public static string NewTempIndex() => Path.Combine(Path.GetTempPath(), "casebot-index-tests", Guid.NewGuid().ToString("N")[..10]);

    /// <summary>A scratch copy of the real corpus, for tests that change files.</summary>
    public static string CopyOfCorpus(string? to = null)
    {
        to ??= NewTempFolder();
        CopyFolder(Corpus, to);
        return to;
    }

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>Deletes a scratch folder; a leftover temp folder is harmless, failing the test over it is not.</summary>
    public static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CaseBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("CaseBot.sln not found above " + AppContext.BaseDirectory);
    }
}
