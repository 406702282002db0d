using System.Threading.Channels;
using CaseBot.Core.Feedback;
using CaseBot.Core.Hosting;
using CaseBot.Insights.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaseBot.Insights;

/// <summary>
/// Records every question the pipeline reports (<see cref="IAnswerObserver"/>) and every vote (<see cref="IFeedbackSink"/>).
/// Answering never waits for the database: <see cref="OnAnswered"/> only puts the record on a bounded queue (full:
/// the record is dropped and counted) and one background writer stores it in batches. Stopping drains the queue.
/// User ids are hashed with the store's salt before anything is queued.
/// </summary>
public sealed class InsightRecorder : IAnswerObserver, IFeedbackSink, IHostedService, IAsyncDisposable
{
    private readonly IInsightStore _store;
    private readonly InsightsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<Item> _queue;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private UserHasher? _hasher;
    private Task? _writer;
    private long _dropped;
    private long _written;
    private bool _stopping;

    public InsightRecorder(IInsightStore store, IOptions<InsightsOptions> options, TimeProvider time, ILogger<InsightRecorder>? log = null)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _log = (ILogger?)log ?? NullLogger.Instance;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of blocking; counted as dropped
        });
    }

    /// <summary>Records dropped because the queue was full (the store too slow or down).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public IInsightStore Store => _store;

    public void OnAnswered(AnsweredQuestion question)
    {
        try
        {
            if (!_options.Enabled || question.Answer.IsUsageError || Volatile.Read(ref _stopping)) return;
            if (!_queue.Writer.TryWrite(new Item(question, null)))
            {
                if (Interlocked.Increment(ref _dropped) % 100 == 1)
                    _log.LogWarning("Insights: the write queue is full ({Capacity}); {Dropped} question records dropped so far.",
                        _options.QueueCapacity, Dropped);
            }
        }
        catch (Exception e)
        {
            // An observer must never break answering.
            _log.LogWarning(e, "Insights: could not queue a question record.");
        }
    }

    public async Task<VoteOutcome> VoteAsync(VoteCast vote, CancellationToken cancellationToken = default)
    {
        if (!AnswerKey.IsWellFormed(vote.AnswerKey))
            throw new ArgumentException($"'{vote.AnswerKey}' is not an answer key.", nameof(vote));
        var hasher = await GetHasherAsync(cancellationToken).ConfigureAwait(false);
        var (up, down) = await _store.VoteAsync(new VoteRecord(_time.GetUtcNow(), vote.Platform, vote.AnswerKey,
            hasher.Hash(vote.Platform, vote.UserId), (int)vote.Value), cancellationToken).ConfigureAwait(false);
        return new VoteOutcome(vote.AnswerKey, vote.Value, up, down);
    }

    /// <summary>Completes once everything queued before the call is in the store.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Item(null, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return;
        try
        {
            await GetHasherAsync(cancellationToken).ConfigureAwait(false);
            _log.LogInformation("Insights: recording questions and votes in {Backend}; kept {Days} days.", _store.Backend, _options.RetentionDays);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that is down must not keep the bot from answering: the writer retries on each batch.
            _log.LogError("Insights: the {Backend} store is not reachable ({Reason}); questions will be recorded once it is.",
                _store.Backend, e.Message);
        }
        _writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, true); // answers still finishing during shutdown are let go quietly
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            try
            {
                await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _log.LogWarning("Insights: stopped before the queue drained; some question records were not written.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<QuestionRecord>(128);
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 128 && _queue.Reader.TryRead(out var item))
            {
                if (item.Flush is { } flush) flushes.Add(flush);
                else if (item.Question is { } q)
                {
                    try
                    {
                        batch.Add(await ToRecordAsync(q).ConfigureAwait(false));
                    }
                    catch (Exception e)
                    {
                        _log.LogWarning("Insights: store unavailable, one question record lost: {Reason}", e.Message);
                    }
                }
            }
            try
            {
                await _store.RecordQuestionsAsync(batch).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
            }
            catch (Exception e)
            {
                _log.LogWarning("Insights: could not write {Count} question records: {Reason}", batch.Count, e.Message);
            }
            batch.Clear();
            foreach (var f in flushes) f.TrySetResult();
            flushes.Clear();
        }
    }

    private async Task<QuestionRecord> ToRecordAsync(AnsweredQuestion q)
    {
        var hasher = await GetHasherAsync(CancellationToken.None).ConfigureAwait(false);
        var a = q.Answer;
        return new QuestionRecord(q.At, q.Context.Platform, q.Context.ChannelId, hasher.Hash(q.Context.Platform, q.Context.UserId),
            q.Question, a.Answered, a.Citations.Select(c => c.DocId).Distinct(StringComparer.Ordinal).ToList(),
            a.Confidence, q.Latency.TotalMilliseconds, AnswerKey.For(q.Question, a.Text));
    }

    /// <summary>Creates the schema and reads the salt on first use; a store that was down is tried again next time.</summary>
    private async Task<UserHasher> GetHasherAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _hasher) is { } ready) return ready;
        await _initLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return _hasher ??= new UserHasher(await _store.InitializeAsync(_options.UserSalt, ct).ConfigureAwait(false));
        }
        finally
        {
            _initLock.Release();
        }
    }

    private sealed record Item(AnsweredQuestion? Question, TaskCompletionSource? Flush);
}
