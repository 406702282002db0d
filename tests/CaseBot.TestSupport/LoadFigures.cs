using System.Collections.Concurrent;
using System.Diagnostics;

namespace CaseBot.TestSupport;

/// <summary>What a load run reports: end-to-end latencies (real time) and the peak managed heap, sampled at every
/// completion. Thread-safe; figures only, never asserted on (no speed assertions in CI).</summary>
public sealed class LoadFigures
{
    private readonly Stopwatch _clock;
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly long _startHeap;
    private long _peakHeap;

    /// <summary>Starts the clock after a full collection, so the start figure is what is live, not earlier tests' garbage
    /// (the heap is process-wide).</summary>
    public LoadFigures()
    {
        _startHeap = _peakHeap = GC.GetTotalMemory(forceFullCollection: true);
        _clock = Stopwatch.StartNew();
    }

    /// <summary>Real time since the run began: pass it back to <see cref="Completed"/> as the start of one item.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public int Count => _latencies.Count;

    /// <summary>One item done: records its latency and samples the managed heap.</summary>
    public void Completed(TimeSpan startedAt)
    {
        _latencies.Add((_clock.Elapsed - startedAt).TotalMilliseconds);
        var heap = GC.GetTotalMemory(false);
        long seen;
        while (heap > (seen = Interlocked.Read(ref _peakHeap)) && Interlocked.CompareExchange(ref _peakHeap, heap, seen) != seen) { }
    }

    public double Percentile(int p)
    {
        var sorted = _latencies.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, sorted.Length * p / 100)];
    }

    public long PeakHeapMegabytes => Interlocked.Read(ref _peakHeap) / (1024 * 1024);

    public string Summary() =>
        $"{Count} done in {_clock.Elapsed.TotalSeconds:F1} s; p50 {Percentile(50):F0} ms, p99 {Percentile(99):F0} ms end to end; " +
        $"peak managed heap {PeakHeapMegabytes} MB ({_startHeap / (1024 * 1024)} MB live at the start)";
}
