using System.Threading.Channels;
using CaseBot.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web.Moderation;

/// <summary>
/// Keeps this process answering from the build the index folder's <c>current</c> pointer names, whoever wrote it:
/// <c>casebot reindex</c> from a shell, another <c>serve</c> on the same folder, or this process's own reindex.
/// A file event on the pointer checks at once; a check every <see cref="PollInterval"/> catches what events miss
/// (bind mounts, network shares). A check is one small file read; the swap itself is reference-counted, so questions
/// in flight finish on the build they started on.
/// </summary>
public sealed class IndexFollower(ICaseBot bot, TimeProvider time, ILogger<IndexFollower> log) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Raised just before each wait, once its poll timer is set (tests advance a fake clock after it).</summary>
    internal event Action? Waiting;

    /// <summary>Raised after each check with whether it swapped builds (tests wait on this rather than sleeping).</summary>
    internal event Action<bool>? Checked;

    /// <summary>File events on the pointer (tests of the poll alone turn them off).</summary>
    internal bool WatchEvents { get; init; } = true;

    internal static CaseBotService? EngineOf(ICaseBot bot) => bot switch
    {
        CaseBotService engine => engine,
        AuditedCaseBot audited => EngineOf(audited.Inner),
        _ => null,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (EngineOf(bot) is not { } engine) return; // a test double: no index folder to follow
        using var watcher = WatchEvents ? TryWatch(engine.IndexRoot) : null;
        Task<bool>? signal = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var poll = Task.Delay(PollInterval, time, stoppingToken);
                signal ??= _signals.Reader.WaitToReadAsync(stoppingToken).AsTask();
                Waiting?.Invoke();
                await Task.WhenAny(poll, signal).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (signal.IsCompleted)
                {
                    while (_signals.Reader.TryRead(out _)) { }
                    signal = null;
                }
                Checked?.Invoke(engine.RefreshFromStore());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private FileSystemWatcher? TryWatch(string root)
    {
        try
        {
            Directory.CreateDirectory(root);
            var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
            // The pointer is replaced by renaming a temporary file onto it.
            watcher.Renamed += (_, e) => { if (e.Name == Core.Indexing.IndexStore.PointerFile) _signals.Writer.TryWrite(true); };
            watcher.Changed += (_, e) => { if (e.Name == Core.Indexing.IndexStore.PointerFile) _signals.Writer.TryWrite(true); };
            watcher.Created += (_, e) => { if (e.Name == Core.Indexing.IndexStore.PointerFile) _signals.Writer.TryWrite(true); };
            watcher.Error += (_, _) => _signals.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            log.LogInformation("Cannot watch the index folder {Folder} ({Reason}); checking its pointer every {Seconds} s.",
                root, ex.Message, PollInterval.TotalSeconds);
            return null;
        }
    }
}
