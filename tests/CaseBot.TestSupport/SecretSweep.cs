namespace CaseBot.TestSupport;

/// <summary>
/// Issue 11's secrets check: everything a scenario captured (log lines, exported metrics, request and reply bodies),
/// each labelled with where it came from, searched for the configured secret values. A hit names the place and the
/// secret's name, never the value (the test output is a log too).
/// </summary>
public sealed class SecretSweep(params (string Name, string Value)[] secrets)
{
    private readonly List<(string Where, string Text)> _captured = [];

    public int Captured => _captured.Count;

    public SecretSweep Add(string where, IEnumerable<string> texts)
    {
        _captured.AddRange(texts.Select(t => (where, t)));
        return this;
    }

    /// <summary>"{secret name} in {where}" for each place a secret turned up: the test asserts this is empty.</summary>
    public IReadOnlyList<string> Leaks()
    {
        if (secrets.FirstOrDefault(s => s.Value.Length < 8) is { Name: { } tooShort })
            throw new ArgumentException($"Secret {tooShort} is too short to search for.");
        return (from c in _captured from s in secrets where c.Text.Contains(s.Value, StringComparison.Ordinal) select $"{s.Name} in {c.Where}")
            .Distinct().ToList();
    }

    /// <summary>What was searched, for the test output.</summary>
    public string Describe() =>
        $"{_captured.Count} captured texts ({string.Join(", ", _captured.GroupBy(c => c.Where).Select(g => $"{g.Key} {g.Count()}"))}) " +
        $"searched for {string.Join(", ", secrets.Select(s => s.Name))}";
}
