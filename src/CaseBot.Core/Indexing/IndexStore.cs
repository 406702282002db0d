using CaseBot.Core.Corpus;

namespace CaseBot.Core.Indexing;

/// <summary>
/// The index folder: every build goes into its own sub-folder and becomes live only when a one-line pointer file,
/// <c>current</c>, is atomically replaced to name it. A build that fails or is killed half-way never touches the
/// pointer, so the previous index keeps answering.
/// </summary>
public sealed class IndexStore(string root)
{
    public const string PointerFile = "current";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The live build's folder, or null when no build was ever completed.</summary>
    public string? CurrentFolder
    {
        get
        {
            var pointer = Path.Combine(Root, PointerFile);
            if (!File.Exists(pointer)) return null;
            var name = File.ReadAllText(pointer).Trim();
            var folder = Path.Combine(Root, name);
            return name.Length > 0 && !name.Contains('/') && System.IO.Directory.Exists(folder) ? folder : null;
        }
    }

    public IndexManifest? CurrentManifest => CurrentFolder is { } f ? IndexManifest.TryLoad(f) : null;

    /// <summary>True when there is no usable index, or it was built from another corpus or an older format.</summary>
    public bool IsStale(string corpusPath)
    {
        var manifest = CurrentManifest;
        return manifest is null
            || manifest.FormatVersion != IndexManifest.CurrentFormat
            || manifest.CorpusFingerprint != CorpusLoader.Fingerprint(corpusPath);
    }

    /// <summary>
    /// Loads the corpus, builds a new index aside, checks that it opens and holds every document, then swaps it in.
    /// Throws <see cref="CorpusException"/> (nothing swapped) when no usable document is found.
    /// </summary>
    public (IndexManifest Manifest, IReadOnlyList<string> Problems) Rebuild(string corpusPath,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var corpus = CorpusLoader.Load(corpusPath);
        if (corpus.Documents.Count == 0)
        {
            var why = corpus.Problems.Count > 0 ? " " + string.Join(" ", corpus.Problems) : "";
            throw new CorpusException($"No usable document in '{corpusPath}' (*.txt or *.md); the current index was kept.{why}");
        }
        System.IO.Directory.CreateDirectory(Root);
        var name = $"build-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}";
        var folder = Path.Combine(Root, name);
        try
        {
            var manifest = IndexBuilder.Build(corpus, Aliases.Load(corpusPath), folder, corpusPath, progress, cancellationToken);
            Verify(folder, manifest);
            var previous = CurrentFolder is { } p ? Path.GetFileName(p) : null;
            Swap(name);
            RemoveOldBuilds(name, previous);
            return (manifest, corpus.Problems);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>The new index opens and holds exactly the entries written: every document and every sentence.</summary>
    private static void Verify(string folder, IndexManifest manifest)
    {
        using var directory = Lucene.Net.Store.FSDirectory.Open(folder);
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        var expected = manifest.Documents + manifest.Passages;
        if (reader.NumDocs != expected)
            throw new InvalidOperationException($"The new index holds {reader.NumDocs} entries, expected {expected}; the current index was kept.");
    }

    private void Swap(string name)
    {
        var temp = Path.Combine(Root, PointerFile + ".tmp-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(temp, name + "\n");
        File.Move(temp, Path.Combine(Root, PointerFile), overwrite: true); // rename(2): atomic on one file system
    }

    private void RemoveOldBuilds(string live, string? previous)
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Root, "build-*"))
        {
            // The previous build may still serve questions in flight; a young unknown one may be a build under way.
            var name = Path.GetFileName(dir);
            if (name != live && name != previous && System.IO.Directory.GetCreationTimeUtc(dir) < DateTime.UtcNow.AddMinutes(-10))
                TryDelete(dir);
        }
        foreach (var tmp in System.IO.Directory.EnumerateFiles(Root, PointerFile + ".tmp-*")) TryDeleteFile(tmp);
    }

    private static void TryDelete(string dir)
    {
        try { System.IO.Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void TryDeleteFile(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
