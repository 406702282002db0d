using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Core.Corpus;

/// <summary>The documents of a corpus folder, plus the problems found in files that could not be used.</summary>
public sealed record LoadedCorpus(IReadOnlyList<CorpusDocument> Documents, IReadOnlyList<string> Problems, string Fingerprint);

/// <summary>
/// Reads every <c>*.txt</c> / <c>*.md</c> file of a folder. A file that is not valid UTF-8, is empty, or repeats an id
/// is skipped with a message naming it, so one bad file never takes the others down.
/// </summary>
public static class CorpusLoader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Largest document file read (bytes). A bigger file is skipped with a message: one such file would
    /// dominate build time and memory, and is almost always a mistake (a dump, an archive renamed to .txt).</summary>
    public const long MaxDocumentBytes = 16L * 1024 * 1024;

    /// <param name="folder">The corpus folder.</param>
    /// <param name="existing">Document id to file name of the live index, when there is one: when two files share an
    /// id, the one the live index already has is kept and the newcomer refused. Without it (or when neither file is
    /// the known one) the file changed longest ago is kept.</param>
    public static LoadedCorpus Load(string folder, IReadOnlyDictionary<string, string>? existing = null)
    {
        if (!Directory.Exists(folder))
            throw new CorpusException($"Corpus folder '{folder}' does not exist.");
        var files = Directory.EnumerateFiles(folder)
            .Where(DocumentNaming.IsDocumentFile)
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        var problems = new List<string>();
        var candidates = new List<(string Id, string Name, string Text, DateTime Changed)>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (Read(file, name, problems) is not { } read) continue;
            candidates.Add((DocumentNaming.IdFromFileName(name), name, read.Text, read.Changed));
        }

        // One file per id: the live index's file, else the one changed longest ago (ties: file name order).
        var keep = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in candidates.GroupBy(c => c.Id, StringComparer.OrdinalIgnoreCase))
        {
            var known = existing is not null && existing.TryGetValue(group.Key, out var f) ? f : null;
            var keeper = group.FirstOrDefault(c => string.Equals(c.Name, known, StringComparison.Ordinal));
            if (keeper.Name is null)
                keeper = group.OrderBy(c => c.Changed).ThenBy(c => c.Name, StringComparer.Ordinal).First();
            keep[group.Key] = keeper.Name;
            foreach (var other in group.Where(c => c.Name != keeper.Name))
                problems.Add($"{other.Name}: its id '{other.Id}' is already used by {keeper.Name}, which was kept; " +
                             $"{other.Name} was skipped: rename one of them.");
        }
        var documents = candidates
            .Where(c => keep[c.Id] == c.Name)
            .Select(c => new CorpusDocument(c.Id, DocumentNaming.Title(c.Text), c.Name, c.Text))
            .ToList();
        return new LoadedCorpus(documents, problems, Fingerprint(folder, files));
    }

    /// <summary>The cleaned text of one file, or null with a problem naming the file and what to do.</summary>
    private static (string Text, DateTime Changed)? Read(string file, string name, List<string> problems)
    {
        string raw;
        DateTime changed;
        try
        {
            var info = new FileInfo(file);
            if (info.Length > MaxDocumentBytes)
            {
                problems.Add($"{name}: {info.Length / (1024.0 * 1024):F0} MB is over the {MaxDocumentBytes / (1024 * 1024)} MB limit " +
                             "for one document; split it into several files.");
                return null;
            }
            changed = info.LastWriteTimeUtc;
            raw = StrictUtf8.GetString(File.ReadAllBytes(file)).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            problems.Add($"{name}: not valid UTF-8; save it as UTF-8 and reindex.");
            return null;
        }
        catch (FileNotFoundException)
        {
            problems.Add($"{name}: removed while the corpus was being read; it was skipped.");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{name}: could not be read ({e.Message}).");
            return null;
        }
        // UTF-16 without a byte-order mark decodes as "valid" UTF-8 full of NULs; no text document holds a NUL.
        if (raw.Contains('\0'))
        {
            problems.Add($"{name}: not valid UTF-8 (it holds NUL bytes: UTF-16 or a binary file); save it as UTF-8 and reindex.");
            return null;
        }
        var text = Footnotes.Remove(raw.Replace("\r\n", "\n"));
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"{name}: empty; it was skipped.");
            return null;
        }
        return (text, changed);
    }

    /// <summary>A hash of every document file's name and bytes and of the aliases file: it changes when the corpus does.</summary>
    public static string Fingerprint(string folder) =>
        Fingerprint(folder, Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Where(DocumentNaming.IsDocumentFile).OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList()
            : []);

    private static string Fingerprint(string folder, IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var aliases = Path.Combine(folder, Indexing.Aliases.FileName);
        foreach (var file in files.Append(aliases).Where(File.Exists))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            // A file removed or locked while the folder is read counts by its name alone (it is skipped anyway).
            try { hash.AppendData(File.ReadAllBytes(file)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { hash.AppendData("\0unreadable"u8); }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
