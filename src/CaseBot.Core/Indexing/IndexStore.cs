using CaseBot.Core.Corpus;

namespace CaseBot.Core.Indexing;

/// <summary>
/// The index folder: every build goes into its own sub-folder and becomes live only when a one-line pointer file,
/// <c>current</c>, is atomically replaced to name it. A build that fails or is killed half-way never touches the
/// pointer, so the previous index keeps answering.
/// <para>
/// Every process that has a build open (a <c>serve</c> answering from it, a build being written) holds a lease on
/// it: a locked file under <c>leases/</c>. A build is deleted only when it is not the live one and no lease on it is
/// held, so a build still answering questions in any process on this folder is never deleted. A lease of a process
/// that died is not held (the lock went with it) and is swept away.
/// </para>
/// </summary>
public sealed class IndexStore(string root)
{
    public const string PointerFile = "current";
    public const string LeaseFolder = "leases";
    private const string BuildPrefix = "build-";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The live build's name (its sub-folder), or null when no build was ever completed.</summary>
    public string? CurrentBuild
    {
        get
        {
            var pointer = Path.Combine(Root, PointerFile);
            string name;
            try
            {
                if (!File.Exists(pointer)) return null;
                name = File.ReadAllText(pointer).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            return IsBuildName(name) && System.IO.Directory.Exists(Path.Combine(Root, name)) ? name : null;
        }
    }

    /// <summary>The live build's folder, or null when no build was ever completed.</summary>
    public string? CurrentFolder => CurrentBuild is { } name ? Path.Combine(Root, name) : null;

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
    /// Throws <see cref="CorpusException"/> (nothing swapped) when no usable document is found, and
    /// <see cref="IndexFolderException"/> when the index folder cannot be written.
    /// </summary>
    public (IndexManifest Manifest, IReadOnlyList<string> Problems) Rebuild(string corpusPath,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        // A document id already in the live index keeps its file; a newcomer repeating it is the one refused.
        var live = CurrentFolder is { } current ? IndexBuildNotes.TryLoad(current)?.Files : null;
        var corpus = CorpusLoader.Load(corpusPath, live);
        if (corpus.Documents.Count == 0)
        {
            var why = corpus.Problems.Count > 0 ? " " + string.Join(" ", corpus.Problems) : "";
            throw new CorpusException($"No usable document in '{corpusPath}' (*.txt or *.md); the current index was kept.{why}");
        }
        var name = $"{BuildPrefix}{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}";
        var folder = Path.Combine(Root, name);
        // The lease comes before the folder: a sweep by another process never sees this build unleased.
        using var lease = Writing(() =>
        {
            System.IO.Directory.CreateDirectory(Root);
            return Lease(name, required: true);
        });
        try
        {
            var manifest = Writing(() => IndexBuilder.Build(corpus, Aliases.Load(corpusPath), folder, corpusPath, progress, cancellationToken));
            Writing(() => new IndexBuildNotes(corpus.Documents.ToDictionary(d => d.Id, d => d.FileName, StringComparer.OrdinalIgnoreCase),
                corpus.Problems).Save(folder));
            Verify(folder, manifest);
            Writing(() => Swap(name));
            lease.Dispose();
            RemoveUnusedBuilds();
            return (manifest, corpus.Problems);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>
    /// Takes a lease on the live build and returns it with the build's name; null when there is no live build.
    /// The pointer is read again after the lease is taken: a build swapped out in between (and perhaps being swept)
    /// is let go and the new live one leased instead.
    /// </summary>
    public (string Build, IDisposable Lease)? LeaseCurrent()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (CurrentBuild is not { } name) return null;
            var lease = Lease(name, required: false);
            if (CurrentBuild == name) return (name, lease);
            lease.Dispose();
        }
        throw new IOException($"The index pointer '{Path.Combine(Root, PointerFile)}' keeps changing; try again.");
    }

    /// <summary>
    /// A held lease on <paramref name="build"/>. When the folder is read-only (an index mounted read-only for
    /// serving), the lease is a no-op unless <paramref name="required"/>: nothing can be swept there either.
    /// </summary>
    public IDisposable Lease(string build, bool required)
    {
        var folder = Path.Combine(Root, LeaseFolder);
        var path = Path.Combine(folder, $"{build}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.lease");
        try
        {
            System.IO.Directory.CreateDirectory(folder);
            // FileShare.None takes an exclusive lock (flock on Unix) that lasts while the stream is open, and no longer
            // than the process: a sweep that can open the file with FileShare.None knows the holder is gone.
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return new HeldLease(stream);
        }
        catch (Exception e) when (!required && e is IOException or UnauthorizedAccessException)
        {
            return NoLease.Instance;
        }
    }

    /// <summary>True when some process (this one included) holds a lease on <paramref name="build"/>.</summary>
    public bool IsLeased(string build)
    {
        var folder = Path.Combine(Root, LeaseFolder);
        if (!System.IO.Directory.Exists(folder)) return false;
        var held = false;
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, build + ".*.lease"))
        {
            try
            {
                // Opening it exclusively succeeds only when nobody holds it: a lease left by a process that died. (No
                // DeleteOnClose here: a failed open must never remove a live holder's file.)
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1)) { }
                TryDeleteFile(file);
            }
            catch (FileNotFoundException) { }
            catch (IOException) { held = true; }
            catch (UnauthorizedAccessException) { held = true; } // cannot tell: assume it is in use
        }
        return held;
    }

    /// <summary>Deletes every build that is neither live nor leased; returns the names deleted.</summary>
    public IReadOnlyList<string> RemoveUnusedBuilds()
    {
        var removed = new List<string>();
        try
        {
            if (!System.IO.Directory.Exists(Root)) return removed;
            var live = CurrentBuild;
            foreach (var dir in System.IO.Directory.EnumerateDirectories(Root, BuildPrefix + "*"))
            {
                var name = Path.GetFileName(dir);
                if (name == live || IsLeased(name)) continue;
                if (TryDelete(dir)) removed.Add(name);
            }
            foreach (var tmp in System.IO.Directory.EnumerateFiles(Root, PointerFile + ".tmp-*")) TryDeleteFile(tmp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return removed;
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

    /// <summary>Runs a write into the index folder, turning permission and disk errors into one message that names
    /// the folder and what to change.</summary>
    private T Writing<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IndexFolderException($"The index folder '{Root}' is not writable by this user ({e.Message}); " +
                "give it to the user CaseBot runs as, or set CaseBot__IndexPath to a writable folder.", e);
        }
        catch (IOException e) when (e is not IndexFolderException)
        {
            throw new IndexFolderException(IsWriteFailure(e)
                ? $"Could not write the new index into '{Root}' ({e.Message}); free some space or set CaseBot__IndexPath to another folder."
                : $"Could not write the new index into '{Root}' ({e.Message}); check that it is a writable folder, or set CaseBot__IndexPath to one.", e);
        }
    }

    private void Writing(Action write) => Writing(() => { write(); return 0; });

    /// <summary>Disk full, quota, read-only file system: the errors a moderator fixes on the index folder.</summary>
    private static bool IsWriteFailure(IOException e) =>
        e.HResult is 28 or 30 or 122 or 0x70 or unchecked((int)0x80070070) // ENOSPC, EROFS, EDQUOT, ERROR_DISK_FULL
        || e.Message.Contains("space", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("read-only", StringComparison.OrdinalIgnoreCase);

    private static bool IsBuildName(string name) =>
        name.Length > 0 && name.IndexOfAny(['/', '\\']) < 0 && name != "." && name != "..";

    private static bool TryDelete(string dir)
    {
        try { System.IO.Directory.Delete(dir, recursive: true); return true; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static void TryDeleteFile(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed class HeldLease(FileStream stream) : IDisposable
    {
        public void Dispose() => stream.Dispose();
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();
        public void Dispose() { }
    }
}

/// <summary>The index folder cannot be written (permissions, full disk); the message says what to change.</summary>
public sealed class IndexFolderException(string message, Exception inner) : IOException(message, inner);
