namespace CaseBot.Core.Indexing;

/// <summary>
/// Moderator-editable name groups read from <c>aliases.conf</c> in the corpus folder: one group a line, names
/// separated by <c>=</c> (<c>the Met = Metropolitan Police = Scotland Yard</c>); <c>#</c> starts a comment. Every name
/// of a group is indexed with a shared group token, so a question naming one finds passages naming another.
/// </summary>
public sealed class Aliases
{
    public const string FileName = "aliases.conf";

    public static readonly Aliases None = new([]);

    public Aliases(IReadOnlyList<IReadOnlyList<string>> groups) => Groups = groups;

    public IReadOnlyList<IReadOnlyList<string>> Groups { get; }

    public static Aliases Load(string corpusFolder)
    {
        var path = Path.Combine(corpusFolder, FileName);
        return File.Exists(path) ? Parse(File.ReadAllLines(path)) : None;
    }

    public static Aliases Parse(IEnumerable<string> lines)
    {
        var groups = new List<IReadOnlyList<string>>();
        foreach (var raw in lines)
        {
            var hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            var names = line.Split('=', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (names.Count >= 2) groups.Add(names);
        }
        return new Aliases(groups);
    }
}
