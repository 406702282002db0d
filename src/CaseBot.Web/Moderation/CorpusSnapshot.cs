namespace CaseBot.Web.Moderation;

/// <summary>
/// What the corpus folder looks like (names, sizes, modification times): cheap to take, and comparing two tells
/// the watcher whether a file event really changed anything.
/// </summary>
public sealed record CorpusSnapshot(string Signature, int Files)
{
    public static readonly CorpusSnapshot Missing = new("<missing>", 0);

    public static CorpusSnapshot Take(string folder)
    {
        if (!Directory.Exists(folder)) return Missing;
        var files = new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => !IsScratchFile(f.Name))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => $"{f.Name}|{f.Length}|{f.LastWriteTimeUtc.Ticks}")
            .ToList();
        return new CorpusSnapshot(string.Join("\n", files), files.Count);
    }

    /// <summary>Editors' and copy tools' temporary files: changes to them alone never trigger a reindex.</summary>
    public static bool IsScratchFile(string name) =>
        name.StartsWith('.') || name.EndsWith('~') ||
        name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith(".part", StringComparison.OrdinalIgnoreCase);
}
