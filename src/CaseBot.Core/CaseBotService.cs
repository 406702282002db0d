using System.Diagnostics;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Hosting;
using CaseBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseBot.Core;

/// <summary>
/// The live engine behind <see cref="ICaseBot"/>. Every question holds a reference on the build it reads
/// (<see cref="LiveIndexManager"/>): a reindex builds aside (one at a time), swaps the new build in, and the old one is
/// disposed when the last question using it finishes. A build written by another process on the same index folder
/// (<c>casebot reindex</c>, another <c>serve</c>) is picked up by <see cref="RefreshFromStore"/>, which the host calls
/// when the <c>current</c> pointer changes.
/// </summary>
public sealed class CaseBotService : ICaseBot, IDisposable
{
    private readonly IndexStore _store;
    private readonly string _corpusPath;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly IBotMetrics _metrics;
    private readonly SemaphoreSlim _reindexLock = new(1, 1);
    private readonly LiveIndexManager _indexes;

    private CaseBotService(string corpusPath, IndexStore store, EngineSettings settings, ILogger logger, IBotMetrics metrics)
    {
        _corpusPath = corpusPath;
        _store = store;
        _settings = settings;
        _logger = logger;
        _metrics = metrics;
        _indexes = new LiveIndexManager(OpenCurrent() ?? throw new CorpusException($"No index in '{store.Root}' and none could be built."));
    }

    /// <summary>
    /// Opens the index for <paramref name="options"/>, building it first when it is missing or the corpus changed.
    /// Throws <see cref="CorpusException"/> when there is neither an index nor a usable corpus, and
    /// <see cref="IndexFolderException"/> when an index must be built and its folder cannot be written.
    /// </summary>
    public static CaseBotService Open(CaseBotOptions options, EngineSettings? settings = null, ILogger? logger = null,
        IBotMetrics? metrics = null, IProgress<(int Done, int Total)>? progress = null)
    {
        logger ??= NullLogger.Instance;
        var store = new IndexStore(options.IndexPath);
        if (store.IsStale(options.CorpusPath))
        {
            try
            {
                var (manifest, problems) = store.Rebuild(options.CorpusPath, progress);
                foreach (var problem in problems) logger.LogWarning("Corpus file skipped: {Problem}", problem);
                logger.LogInformation("Index built from {Corpus}: {Documents} documents, {Passages} passages in {Seconds:F2} s",
                    options.CorpusPath, manifest.Documents, manifest.Passages, manifest.BuildSeconds);
            }
            catch (Exception e) when (e is CorpusException or IOException or UnauthorizedAccessException && store.CurrentFolder is not null)
            {
                logger.LogWarning("Corpus changed but could not be indexed, answering from the previous index: {Reason}", e.Message);
            }
        }
        return new CaseBotService(options.CorpusPath, store, settings ?? EngineSettings.Default, logger, metrics ?? NullBotMetrics.Instance);
    }

    /// <summary>The index folder (holding the <c>current</c> pointer and the builds).</summary>
    public string IndexRoot => _store.Root;

    /// <summary>The live build's engine, without a reference: for single-threaded tools (train, bench).</summary>
    public AnswerEngine Engine => _indexes.Current.Engine;

    /// <summary>A reference on the live build, as every question takes; dispose it to release. While held, that
    /// build is neither disposed nor deleted, even when a reindex swaps another in.</summary>
    public IndexReference AcquireIndex() => new(_indexes, _indexes.Acquire());

    /// <summary>Raised after a swapped-out build was closed (its last question finished) and unused builds swept.</summary>
    public event Action<string>? BuildClosed;

    public Answer Ask(string question)
    {
        var live = _indexes.Acquire();
        try
        {
            return live.Engine.Ask(question);
        }
        finally
        {
            _indexes.Release(live);
        }
    }

    public IReadOnlyList<DocumentInfo> Documents => _indexes.Current.Index.Documents;

    public DocumentInfo? FindDocument(string id)
    {
        var index = _indexes.Current.Index;
        return index.DocumentNumber((id ?? "").Trim().Trim('[', ']')) is { } d ? index.Documents[d] : null;
    }

    public IndexStatus Status
    {
        get
        {
            var live = _indexes.Current;
            var m = live.Index.Manifest;
            return new IndexStatus(m.BuiltAt, m.CorpusFingerprint, m.Documents, m.Passages, m.CorpusPath, live.Index.Folder, live.Skipped);
        }
    }

    /// <summary>True when the corpus folder no longer matches the live index.</summary>
    public bool CorpusChanged => CorpusLoader.Fingerprint(_corpusPath) != _indexes.Current.Index.Manifest.CorpusFingerprint;

    /// <summary>
    /// Follows the <c>current</c> pointer: when it names another build than the live one (a reindex by another process
    /// or surface), opens that build and swaps it in. Returns true when it swapped. A build that cannot be opened is
    /// logged and the live one kept.
    /// </summary>
    public bool RefreshFromStore()
    {
        try
        {
            var swapped = _indexes.Swap(old => _store.CurrentBuild is { } name && name != old.Build ? OpenCurrent() : null);
            if (swapped)
                _logger.LogInformation("Now answering from index build {Build} ({Documents} documents); questions in flight finish on the previous one.",
                    _indexes.Current.Build, _indexes.Current.Index.Manifest.Documents);
            return swapped;
        }
        catch (ObjectDisposedException)
        {
            return false; // shutting down
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException
                                     or Lucene.Net.Index.CorruptIndexException)
        {
            _logger.LogWarning("The index pointer names a build that cannot be opened; the previous index keeps answering: {Reason}", e.Message);
            return false;
        }
    }

    /// <summary>Leases and opens the build the pointer names; null when there is none.</summary>
    private LiveIndex? OpenCurrent()
    {
        if (_store.LeaseCurrent() is not { } leased) return null;
        try
        {
            var folder = Path.Combine(_store.Root, leased.Build);
            var index = SearchIndex.Open(folder);
            return new LiveIndex(leased.Build, index, new AnswerEngine(index, _settings), IndexBuildNotes.TryLoad(folder), leased.Lease, Closed);
        }
        catch
        {
            leased.Lease.Dispose();
            throw;
        }
    }

    /// <summary>The last question on a swapped-out build finished: sweep builds nobody uses (off the question's thread).</summary>
    private void Closed(LiveIndex index) => _ = Task.Run(() =>
    {
        _store.RemoveUnusedBuilds();
        BuildClosed?.Invoke(index.Build);
    });

    public async Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        await _reindexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            // A thread of its own: a build is seconds of work, and on a thread-pool thread it queued behind a pool saturated
            // by questions and did not start for minutes (the pool adds no threads while the CPU is busy): a CI hang.
            var (manifest, problems) = await Task.Factory.StartNew(() => _store.Rebuild(_corpusPath, cancellationToken: cancellationToken),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            RefreshFromStore();
            foreach (var problem in problems) _logger.LogWarning("Corpus file skipped: {Problem}", problem);
            var note = problems.Count > 0 ? $" Skipped: {string.Join(" ", problems)}" : "";
            var result = new ReindexResult(true, manifest.Documents, manifest.Passages, clock.Elapsed.TotalSeconds,
                $"Reindexed {manifest.Documents} documents, {manifest.Passages} passages in {clock.Elapsed.TotalSeconds:F1} s.{note}", requestedBy);
            _logger.LogInformation("Reindex requested by {RequestedBy} at {At:u}: {Message}", requestedBy, DateTimeOffset.UtcNow, result.Message);
            _metrics.Reindexed(true);
            return result;
        }
        catch (Exception e) when (e is CorpusException or IOException or UnauthorizedAccessException or InvalidOperationException or OperationCanceledException)
        {
            var result = new ReindexResult(false, 0, 0, clock.Elapsed.TotalSeconds, $"Reindex failed, the previous index keeps answering: {e.Message}", requestedBy);
            _logger.LogWarning("Reindex requested by {RequestedBy} at {At:u} failed: {Message}", requestedBy, DateTimeOffset.UtcNow, e.Message);
            _metrics.Reindexed(false);
            return result;
        }
        finally
        {
            _reindexLock.Release();
        }
    }

    public void Dispose()
    {
        _indexes.Dispose();
        _reindexLock.Dispose();
    }
}

/// <summary>A held reference on one build (see <see cref="CaseBotService.AcquireIndex"/>).</summary>
public sealed class IndexReference(LiveIndexManager manager, LiveIndex index) : IDisposable
{
    private int _released;

    public LiveIndex Index => index;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) manager.Release(index);
    }
}
