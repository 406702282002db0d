using System.Diagnostics;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Hosting;
using CaseBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseBot.Core;

/// <summary>
/// The live engine behind <see cref="ICaseBot"/>. Questions read the current engine through one volatile reference;
/// a reindex builds aside (one at a time), opens the new index, then swaps the reference, so questions asked during
/// a reindex are answered from the old index without error.
/// </summary>
public sealed class CaseBotService : ICaseBot, IDisposable
{
    private readonly IndexStore _store;
    private readonly string _corpusPath;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly IBotMetrics _metrics;
    private readonly SemaphoreSlim _reindexLock = new(1, 1);
    private volatile AnswerEngine _engine;

    private CaseBotService(string corpusPath, IndexStore store, AnswerEngine engine, EngineSettings settings, ILogger logger, IBotMetrics metrics)
    {
        _corpusPath = corpusPath;
        _store = store;
        _engine = engine;
        _settings = settings;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>
    /// Opens the index for <paramref name="options"/>, building it first when it is missing or the corpus changed.
    /// Throws <see cref="CorpusException"/> when there is neither an index nor a usable corpus.
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
                foreach (var problem in problems) logger.LogWarning("Corpus: {Problem}", problem);
                logger.LogInformation("Index built from {Corpus}: {Documents} documents, {Passages} passages in {Seconds:F2} s",
                    options.CorpusPath, manifest.Documents, manifest.Passages, manifest.BuildSeconds);
            }
            catch (CorpusException e) when (store.CurrentFolder is not null)
            {
                logger.LogWarning("Corpus changed but could not be indexed, answering from the previous index: {Reason}", e.Message);
            }
        }
        var folder = store.CurrentFolder ?? throw new CorpusException($"No index in '{options.IndexPath}' and none could be built.");
        settings ??= EngineSettings.Default;
        return new CaseBotService(options.CorpusPath, store, new AnswerEngine(SearchIndex.Open(folder), settings), settings, logger,
            metrics ?? NullBotMetrics.Instance);
    }

    public AnswerEngine Engine => _engine;

    public Answer Ask(string question) => _engine.Ask(question);

    public IReadOnlyList<DocumentInfo> Documents => _engine.Index.Documents;

    public DocumentInfo? FindDocument(string id)
    {
        var index = _engine.Index;
        return index.DocumentNumber((id ?? "").Trim().Trim('[', ']')) is { } d ? index.Documents[d] : null;
    }

    public IndexStatus Status
    {
        get
        {
            var index = _engine.Index;
            var m = index.Manifest;
            return new IndexStatus(m.BuiltAt, m.CorpusFingerprint, m.Documents, m.Passages, m.CorpusPath, index.Folder);
        }
    }

    /// <summary>True when the corpus folder no longer matches the live index.</summary>
    public bool CorpusChanged => CorpusLoader.Fingerprint(_corpusPath) != _engine.Index.Manifest.CorpusFingerprint;

    public async Task<ReindexResult> ReindexAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        await _reindexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            var (manifest, problems) = await Task.Run(() => _store.Rebuild(_corpusPath, cancellationToken: cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            var fresh = new AnswerEngine(SearchIndex.Open(_store.CurrentFolder!), _settings);
            var old = Interlocked.Exchange(ref _engine, fresh);
            _ = DisposeLaterAsync(old.Index);
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

    /// <summary>Questions already running on the old index finish well within this grace period.</summary>
    private static async Task DisposeLaterAsync(SearchIndex old)
    {
        await Task.Delay(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        old.Dispose();
    }

    public void Dispose()
    {
        _engine.Index.Dispose();
        _reindexLock.Dispose();
    }
}
