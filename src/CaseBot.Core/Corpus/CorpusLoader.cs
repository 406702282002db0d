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

    public static LoadedCorpus Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new CorpusException($"Corpus folder '{folder}' does not exist.");
        var files = Directory.EnumerateFiles(folder)
            .Where(DocumentNaming.IsDocumentFile)
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        var documents = new List<CorpusDocument>();
        var problems = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            string raw;
            try
            {
                raw = StrictUtf8.GetString(File.ReadAllBytes(file)).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                problems.Add($"{name}: not valid UTF-8; save it as UTF-8 and reindex.");
                continue;
            }
            catch (IOException e)
            {
                problems.Add($"{name}: could not be read ({e.Message}).");
                continue;
            }
            var text = Footnotes.Remove(raw.Replace("\r\n", "\n"));
            if (string.IsNullOrWhiteSpace(text))
            {
                problems.Add($"{name}: empty; it was skipped.");
                continue;
            }
            var id = DocumentNaming.IdFromFileName(name);
            if (seen.TryGetValue(id, out var other))
            {
                problems.Add($"{name}: its id '{id}' is already used by {other}; rename one of them.");
                continue;
            }
            seen[id] = name;
            documents.Add(new CorpusDocument(id, DocumentNaming.Title(text), name, text));
        }
        return new LoadedCorpus(documents, problems, Fingerprint(folder, files));
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
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
