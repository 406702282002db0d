using System.Diagnostics;

namespace CaseBot.TestSupport;

/// <summary>
/// What an adapter soak (<c>DiscordSoakTests</c>, <c>SlackSoakTests</c>) samples at its start, after each reindex and at
/// its end — the managed heap after a full collection, the process's open handles, the index's build folders — and
/// the bounds it holds them to. Its length and reindex interval come from <c>CASEBOT_SOAK_SECONDS</c> (20 s by default)
/// and <c>CASEBOT_SOAK_REINDEX_SECONDS</c> (5 s).
/// </summary>
public sealed class SoakSamples(string indexPath)
{
    public readonly record struct Sample(TimeSpan At, long Heap, int Handles, int Builds);

    private readonly List<Sample> _samples = [];

    public static TimeSpan Duration => Seconds("CASEBOT_SOAK_SECONDS", 20);
    public static TimeSpan ReindexEvery => Seconds("CASEBOT_SOAK_REINDEX_SECONDS", 5);

    private static TimeSpan Seconds(string variable, int fallback) =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable(variable), out var s) && s > 0 ? s : fallback);

    public IReadOnlyList<Sample> All => _samples;

    public void Take(TimeSpan at)
    {
        using var self = Process.GetCurrentProcess();
        _samples.Add(new Sample(at, GC.GetTotalMemory(forceFullCollection: true), self.HandleCount,
            Directory.GetDirectories(indexPath).Count(d => Path.GetFileName(d) != "leases")));
    }

    /// <summary>One line per sample, for the test's output.</summary>
    public IEnumerable<string> Lines() => _samples.Select(s =>
        $"{s.At.TotalSeconds,7:F1} s   heap {s.Heap / 1_048_576.0,6:F1} MB   handles {s.Handles,5}   build folders {s.Builds}");

    /// <summary>
    /// What broke a bound, empty when nothing did. After the first reindex (the engine and its caches are warm) nothing
    /// grows with the number of reindexes: the last sample stays within 64 MB of heap and 100 handles of the first warm
    /// one; every sample has 1–3 build folders.
    /// </summary>
    public IReadOnlyList<string> Unbounded()
    {
        var broken = new List<string>();
        var warm = _samples[1];
        var last = _samples[^1];
        if (last.Heap >= warm.Heap + 64L * 1_048_576) broken.Add($"heap grew from {warm.Heap / 1_048_576} MB to {last.Heap / 1_048_576} MB");
        if (last.Handles >= warm.Handles + 100) broken.Add($"handles grew from {warm.Handles} to {last.Handles}");
        broken.AddRange(_samples.Where(s => s.Builds is < 1 or > 3).Select(s => $"{s.Builds} build folders at {s.At.TotalSeconds:F1} s"));
        return broken;
    }
}
