namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>Folders of the repository the tests run from (CI runs on a clean clone, so never /work/shared).</summary>
internal static class RepoPaths
{
    /// <summary>The repository's <c>corpus/</c>, found by walking up to the folder that holds CaseBot.sln.</summary>
    public static string Corpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CaseBot.sln"))) return Path.Combine(dir.FullName, "corpus");
        throw new InvalidOperationException("CaseBot.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh, not yet created folder under the temp directory for one index.</summary>
    public static string NewTempIndex() =>
        Path.Combine(Path.GetTempPath(), "casebot-discord-tests", Guid.NewGuid().ToString("N")[..10]);

    public static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; failing the test over it is not.
        }
    }
}
