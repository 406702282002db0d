using System.Globalization;
using System.Text.RegularExpressions;

namespace CaseBot.Core.Evaluation;

/// <summary>
/// Near-miss negatives made from answerable questions the way SQuAD 2.0's unanswerables were written: the same
/// question with one name, year or number swapped for one the corpus never states ("…contract with the Ministry of
/// Justice" where the text says Defence). They teach the decider that a question matching a passage in every word
/// but the one that matters is not answered by it. Training data only; they never count in the figures.
/// </summary>
public static partial class NearMisses
{
    [GeneratedRegex(@"\b\p{Lu}\p{L}+(?:['’\-]\p{L}+)*(?:\s+\p{Lu}\p{L}+(?:['’\-]\p{L}+)*)*", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"\b(?:1[5-9]|20)\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"(?<![\d.,])\d+(?![\d.,]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    /// <summary>
    /// One near miss per answerable question that names something (not its first word), a year or a number; the
    /// swap is never a value <paramref name="stated"/> says the corpus holds. Each keeps its source's id as
    /// <see cref="GoldQuestion.Title"/>, so a fold by title puts it beside its source.
    /// </summary>
    public static List<GoldQuestion> From(IEnumerable<GoldQuestion> questions, IReadOnlyList<string> foreignNames, Func<string, bool> stated)
    {
        var result = new List<GoldQuestion>();
        foreach (var q in questions.Where(q => q.Answerable))
        {
            var swapped = SwapName(q, foreignNames, stated) ?? SwapNumber(q.Question, stated);
            if (swapped is null) continue;
            result.Add(q with { Id = "nearmiss-" + q.Id, Question = swapped, Answerable = false, Answers = [], GoldDocs = [], GoldDoc = null, Title = q.Id });
        }
        return result;
    }

    /// <summary>Two- and three-word capitalised answers of another corpus's questions: names the case never states.</summary>
    public static List<string> ForeignNames(IEnumerable<GoldQuestion> foreign) =>
        foreign.SelectMany(q => q.Answers)
            .Where(a => a.Split(' ') is { Length: >= 2 and <= 3 } words && words[0] != "The" && words.All(w => w.Length > 1 && char.IsUpper(w[0]) && w.Skip(1).All(char.IsLetter)))
            .Distinct(StringComparer.Ordinal).OrderBy(a => EngineTrainer.StableHash(a)).ToList();

    private static string? SwapName(GoldQuestion q, IReadOnlyList<string> foreignNames, Func<string, bool> stated)
    {
        if (foreignNames.Count == 0) return null;
        var names = Name().Matches(q.Question).Where(m => m.Index > 0).ToList();
        if (names.Count == 0) return null;
        var target = names[^1]; // the last name is most often what the question is about, not who asks
        var start = (int)(EngineTrainer.StableHash(q.Id) % (uint)foreignNames.Count);
        for (var k = 0; k < foreignNames.Count; k++)
        {
            var name = foreignNames[(start + k) % foreignNames.Count];
            if (!stated(name)) return q.Question[..target.Index] + name + q.Question[(target.Index + target.Length)..];
        }
        return null;
    }

    private static string? SwapNumber(string question, Func<string, bool> stated)
    {
        var year = Year().Match(question);
        var m = year.Success ? year : Number().Match(question);
        if (!m.Success) return null;
        var value = long.Parse(m.Value, CultureInfo.InvariantCulture);
        for (var step = 1; step <= 9; step++)
        {
            var other = (year.Success ? value + step * 3 : value * 3 + step).ToString(CultureInfo.InvariantCulture);
            if (!stated(other)) return question[..m.Index] + other + question[(m.Index + m.Length)..];
        }
        return null;
    }
}
