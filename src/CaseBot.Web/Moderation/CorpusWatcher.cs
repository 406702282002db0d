using System.Threading.Channels;
using CaseBot.Core;
using CaseBot.Core.Corpus;
using CaseBot.Web.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Moderation;

/// <summary>
/// Reindexes when a moderator changes the corpus folder (drops in an article, edits or removes one).
/// File-system events start a quiet period (<see cref="ModerationOptions.WatchDebounceSeconds"/>), so copying
/// several files is one reindex; a periodic comparison (<see cref="ModerationOptions.WatchPollSeconds"/>) catches
/// changes whose events never arrive (some Docker bind mounts, network shares). Either way a cheap listing (names,
/// sizes, times) decides whether to look closer, then the engine's corpus fingerprint (names and bytes) is compared
/// with the one last indexed or tried: saving a file unchanged reindexes nothing, and a failed reindex is not retried
/// until the documents change again.
/// </summary>
public sealed class CorpusWatcher(
    ICaseBot bot, IOptions<ModerationOptions> options, CorpusLocation corpus, TimeProvider time, ILogger<CorpusWatcher> log)
    : BackgroundService
{
    public const string RequestedBy = "corpus-watcher";

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private CorpusSnapshot? _seen;
    private string? _fingerprint;

    /// <summary>Completed reindexes (tests wait on this rather than sleeping).</summary>
    internal event Action<ReindexOutcome>? Reindexed;

    internal sealed record ReindexOutcome(bool Succeeded, string Message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var folder = corpus.FullPath;
        if (!o.WatchCorpus)
        {
            log.LogInformation("Corpus watching is off (Moderation:WatchCorpus=false): reindex with `casebot reindex`, the web console or chat.");
            return;
        }

        // The baseline is what the index was built from, not the folder as it is now: ExecuteAsync runs on the thread
        // pool after the host started, so a file may already have arrived (no listing is remembered yet, so the first
        // comparison looks at the fingerprints).
        _fingerprint = bot.Status.CorpusFingerprint;
        using var watcher = TryWatch(folder);
        log.LogInformation("Watching the corpus folder {Folder} ({Files} files): changes are reindexed {Debounce} s after the last one{Poll}.",
            folder, CorpusSnapshot.Take(folder).Files, o.WatchDebounceSeconds,
            o.WatchPollSeconds > 0 ? $", and the folder is compared every {o.WatchPollSeconds} s" : "");

        var debounce = TimeSpan.FromSeconds(o.WatchDebounceSeconds);
        var poll = o.WatchPollSeconds > 0 ? TimeSpan.FromSeconds(o.WatchPollSeconds) : Timeout.InfiniteTimeSpan;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Wait for an event or the next poll, whichever comes first.
                using (var pollWait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    if (poll != Timeout.InfiniteTimeSpan) pollWait.CancelAfter(poll);
                    try { await _changes.Reader.ReadAsync(pollWait.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                }
                // Quiet period: keep waiting while events keep coming.
                while (true)
                {
                    await Task.Delay(debounce, time, stoppingToken).ConfigureAwait(false);
                    if (!_changes.Reader.TryRead(out _)) break;
                }
                await ReindexIfChangedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Reindexes when the corpus documents differ from the ones last indexed (or tried).</summary>
    internal async Task<bool> ReindexIfChangedAsync(CancellationToken cancellationToken)
    {
        var now = CorpusSnapshot.Take(corpus.FullPath);
        if (_seen is not null && now == _seen) return false;
        _seen = now;
        _fingerprint ??= bot.Status.CorpusFingerprint;
        var fingerprint = CorpusLoader.Fingerprint(corpus.FullPath);
        if (fingerprint == _fingerprint) return false;
        if (fingerprint == bot.Status.CorpusFingerprint)
        {
            // Already indexed, by another process on the same index folder (picked up by IndexFollower).
            _fingerprint = fingerprint;
            return false;
        }
        log.LogInformation("The corpus folder changed ({Files} files, fingerprint {Old} -> {New}): reindexing.", now.Files, _fingerprint, fingerprint);
        try
        {
            var result = await bot.ReindexAsync(RequestedBy, cancellationToken).ConfigureAwait(false);
            Reindexed?.Invoke(new ReindexOutcome(result.Succeeded, result.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "The corpus watcher's reindex failed; the previous index keeps answering.");
            Reindexed?.Invoke(new ReindexOutcome(false, ex.Message));
        }
        // Remember what was tried even after a failure: retrying an unchanged broken corpus would only fail again.
        _fingerprint = fingerprint;
        return true;
    }

    private FileSystemWatcher? TryWatch(string folder)
    {
        if (!Directory.Exists(folder))
        {
            log.LogWarning("The corpus folder {Folder} does not exist; only periodic comparison will notice it appear.", folder);
            return null;
        }
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
            };
            FileSystemEventHandler changed = (_, e) => { if (!CorpusSnapshot.IsScratchFile(e.Name ?? "")) _changes.Writer.TryWrite(true); };
            watcher.Created += changed;
            watcher.Changed += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => _changes.Writer.TryWrite(true);
            // Lost events (buffer overflow) just mean "look at the folder".
            watcher.Error += (_, _) => _changes.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            log.LogWarning("Cannot watch {Folder} for changes ({Reason}); only periodic comparison will notice them.", folder, ex.Message);
            return null;
        }
    }
}

/// <summary>The corpus folder the engine reads, as an absolute path.</summary>
public sealed class CorpusLocation(string fullPath)
{
    public string FullPath { get; } = fullPath;
}
