using CaseBot.Core.Answering;

namespace CaseBot.Core.Indexing;

/// <summary>
/// One opened build with a reference count, after Lucene's <c>ReferenceManager</c>: the manager holds one reference
/// while the build is live, and every question holds one while it runs. When a reindex swaps a newer build in, the
/// manager lets its reference go; the index is disposed, and its lease on the folder released, when the last
/// question using it finishes — not on a timer.
/// </summary>
public sealed class LiveIndex
{
    private readonly IDisposable _lease;
    private readonly Action<LiveIndex> _closed;
    private int _refs = 1;

    internal LiveIndex(string build, SearchIndex index, AnswerEngine engine, IndexBuildNotes? notes, IDisposable lease, Action<LiveIndex> closed)
    {
        Build = build;
        Index = index;
        Engine = engine;
        Skipped = notes?.Skipped ?? [];
        _lease = lease;
        _closed = closed;
    }

    /// <summary>The build's folder name under the index root.</summary>
    public string Build { get; }
    public SearchIndex Index { get; }
    public AnswerEngine Engine { get; }
    /// <summary>Corpus files the build left out, each with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int RefCount => Volatile.Read(ref _refs);

    /// <summary>True once the last reference was released and the index disposed.</summary>
    public bool IsClosed => RefCount <= 0;

    internal bool TryIncRef()
    {
        while (true)
        {
            var refs = Volatile.Read(ref _refs);
            if (refs <= 0) return false;
            if (Interlocked.CompareExchange(ref _refs, refs + 1, refs) == refs) return true;
        }
    }

    internal void DecRef()
    {
        var refs = Interlocked.Decrement(ref _refs);
        if (refs > 0) return;
        if (refs < 0) throw new InvalidOperationException($"Index {Build} released more often than acquired.");
        try
        {
            Index.Dispose();
        }
        finally
        {
            _lease.Dispose();
            _closed(this);
        }
    }
}

/// <summary>
/// The live build and its swaps. <see cref="Acquire"/> / <see cref="Release"/> bracket every use; <see cref="Swap"/>
/// installs a new build and drops the manager's reference on the old one, which closes when its last user is done.
/// </summary>
public sealed class LiveIndexManager : IDisposable
{
    private readonly Lock _swap = new();
    private volatile LiveIndex? _current;

    public LiveIndexManager(LiveIndex initial) => _current = initial;

    /// <summary>The live build, without a reference: fine for its in-memory tables (documents, manifest), not for searching.</summary>
    public LiveIndex Current => _current ?? throw new ObjectDisposedException(nameof(LiveIndexManager));

    /// <summary>A reference on the live build; pass it to <see cref="Release"/> exactly once.</summary>
    public LiveIndex Acquire()
    {
        while (true)
        {
            var current = Current;
            if (current.TryIncRef()) return current;
            // Swapped and closed between the read and the increment: the next read sees its successor.
            if (ReferenceEquals(current, _current)) throw new ObjectDisposedException(nameof(LiveIndexManager));
        }
    }

    public void Release(LiveIndex index) => index.DecRef();

    /// <summary>Installs <paramref name="fresh"/> when <paramref name="open"/> returns one; the old build closes once
    /// unused. Runs one swap at a time; returns true when a new build was installed.</summary>
    public bool Swap(Func<LiveIndex, LiveIndex?> open)
    {
        lock (_swap)
        {
            var old = Current;
            var fresh = open(old);
            if (fresh is null || ReferenceEquals(fresh, old)) return false;
            _current = fresh;
            old.DecRef();
            return true;
        }
    }

    public void Dispose()
    {
        lock (_swap)
        {
            var old = _current;
            _current = null;
            old?.DecRef();
        }
    }
}
