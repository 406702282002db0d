using System.Reflection;

namespace CaseBot.Core.Answering.Resources;

/// <summary>
/// The engine's word lists, kept as embedded text files beside this class so that they read as data, not code.
/// Lines are trimmed; blank lines and <c>#</c> comments are skipped.
/// </summary>
internal static class WordLists
{
    public static IReadOnlyList<string> Lines(string name)
    {
        var assembly = typeof(WordLists).Assembly;
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded word list '{name}' is missing from {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Every whitespace-separated word of a list, for lists written several to a line.</summary>
    public static IEnumerable<string> Words(string name) =>
        Lines(name).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
