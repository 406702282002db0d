using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaseBot.Core.Corpus;

namespace CaseBot.Core.Evaluation;

/// <summary>
/// The metrics of <c>shared/eval/score.py</c>, computed the same way (same normalisation, same definitions), so
/// <c>casebot eval</c> prints what the script prints.
/// </summary>
public static partial class Scorer
{
    public static IReadOnlyList<(string Name, double? Value)> Score(IReadOnlyList<GoldQuestion> gold, IReadOnlyDictionary<string, RunLine> run,
        IReadOnlyDictionary<string, string>? corpusTexts = null)
    {
        int shortShown = 0, shortRight = 0;
        int na = 0, nu = 0, r1 = 0, r5 = 0, answeredA = 0, ahit = 0, chit = 0, correct = 0, abstain = 0, answeredAll = 0, faithful = 0, missing = 0;
        double mrr = 0, em = 0, f1 = 0;
        var ms = new List<double>();
        var lengths = new List<double>();
        foreach (var q in gold)
        {
            run.TryGetValue(q.Id, out var r);
            if (r is null) missing++;
            else ms.Add(r.Ms);
            var answered = r is { Answered: true };
            if (answered && corpusTexts is not null)
            {
                answeredAll++;
                if (IsFaithful(r!, corpusTexts)) faithful++;
            }
            var gd = q.Gold;
            if (q.Answerable)
            {
                na++;
                var ids = r?.Docs ?? [];
                if (ids.Count > 0 && gd.Contains(ids[0])) r1++;
                if (ids.Take(5).Any(gd.Contains)) r5++;
                for (var i = 0; i < Math.Min(10, ids.Count); i++)
                    if (gd.Contains(ids[i])) { mrr += 1.0 / (i + 1); break; }
                if (!answered) continue;
                answeredA++;
                var text = Norm(r!.Answer);
                text = text[..Math.Min(300, text.Length)];
                lengths.Add(r.Answer.Length);
                var ah = q.Answers.Any(a => text.Contains(Norm(a), StringComparison.Ordinal));
                var ch = r.Citations.Any(c => gd.Contains(c.Doc));
                if (ah) ahit++;
                if (ch) chit++;
                if (ah && ch) correct++;
                if (!string.IsNullOrEmpty(r.Short) && q.Answers.Count > 0)
                {
                    shortShown++;
                    if (q.Answers.Max(a => F1(r.Short, a)) >= 0.5) shortRight++;
                    em += q.Answers.Max(a => SquadNorm(r.Short) == SquadNorm(a) ? 1.0 : 0.0);
                    f1 += q.Answers.Max(a => F1(r.Short, a));
                }
            }
            else
            {
                nu++;
                if (r is not null && !answered) abstain++;
            }
        }
        double? Per(double x, int n) => n > 0 ? x / n : null;
        var result = new List<(string, double?)>
        {
            ("questions", gold.Count), ("answerable", na), ("unanswerable", nu), ("missing", missing),
            ("R@1", Per(r1, na)), ("R@5", Per(r5, na)), ("MRR@10", Per(mrr, na)),
            ("answered(answerable)", Per(answeredA, na)), ("answer-hit", Per(ahit, na)), ("cite-hit", Per(chit, na)),
            ("correct", Per(correct, na)), ("abstain(unanswerable)", Per(abstain, nu)),
            ("accuracy", Per(correct + abstain, gold.Count)), ("short-EM", Per(em, na)), ("short-F1", Per(f1, na)),
            ("short-shown", Per(shortShown, answeredA)), ("short-precision", Per(shortRight, shortShown)),
            ("answer-chars-median", Percentile(lengths, 50)), ("ms-p50", Percentile(ms, 50)), ("ms-p99", Percentile(ms, 99)),
        };
        if (corpusTexts is not null) result.Add(("faithful", Per(faithful, answeredAll)));
        return result;
    }

    /// <summary>
    /// Figures per asked-for type (<c>eval --by-type</c>), so the weak kinds of question show: questions, answerable
    /// ones answered correctly, unanswerable ones declined, short answers shown and right.
    /// </summary>
    public static string ByType(IReadOnlyList<GoldQuestion> gold, IReadOnlyDictionary<string, RunLine> run)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("type            questions  correct      declined     short-shown  short-right");
        foreach (var group in gold.GroupBy(q => Answering.Questions.AnswerTypes.Of(Answering.Questions.ChatNormalizer.Normalize(q.Question).Text)).OrderBy(g => g.Key))
        {
            var m = Score(group.ToList(), run).ToDictionary(x => x.Name, x => x.Value);
            int answerable = group.Count(q => q.Answerable), unanswerable = group.Count() - answerable;
            var correct = (int)Math.Round((m["correct"] ?? 0) * answerable);
            var declined = (int)Math.Round((m["abstain(unanswerable)"] ?? 0) * unanswerable);
            var answeredA = (int)Math.Round((m["answered(answerable)"] ?? 0) * answerable);
            var shown = (int)Math.Round((m["short-shown"] ?? 0) * answeredA);
            var right = (int)Math.Round((m["short-precision"] ?? 0) * shown);
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key,-15} {group.Count(),9}  {correct,4}/{answerable,-6}  {declined,4}/{unanswerable,-6}  {shown,11}  {right,11}"));
        }
        return sb.ToString().TrimEnd();
    }

    public static string Format(IReadOnlyList<(string Name, double? Value)> metrics) =>
        string.Join("\n", metrics.Select(m => $"{m.Name,-24} " + (m.Value is { } v
            ? (v == Math.Floor(v) && m.Name is "questions" or "answerable" or "unanswerable" or "missing" ? v.ToString(CultureInfo.InvariantCulture) : v.ToString("F3", CultureInfo.InvariantCulture))
            : "None")));

    /// <summary>Each document's text as score.py normalises it, keyed by id.</summary>
    public static Dictionary<string, string> CorpusTexts(string folder) =>
        Directory.EnumerateFiles(folder).Where(DocumentNaming.IsDocumentFile)
            .ToDictionary(f => DocumentNaming.IdFromFileName(f), f => Norm(Footnotes.Remove(File.ReadAllText(f))));

    public static bool IsFaithful(RunLine r, IReadOnlyDictionary<string, string> texts)
    {
        if (r.Citations.Count == 0) return false;
        foreach (var c in r.Citations)
        {
            if (!texts.TryGetValue(c.Doc, out var body)) return false;
            var pieces = EllipsisRegex().Split(c.Quote ?? "").Select(p => Norm(Footnotes.Remove(p))).Where(p => p.Length > 0).ToList();
            if (pieces.Count == 0 || pieces.Any(p => !body.Contains(p, StringComparison.Ordinal))) return false;
        }
        return true;
    }

    public static string Norm(string? s)
    {
        var sb = new StringBuilder((s ?? "").Normalize(NormalizationForm.FormKC));
        for (var i = 0; i < sb.Length; i++)
        {
            sb[i] = sb[i] switch
            {
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                '\u2018' or '\u2019' or '\u201a' or '\u201b' or '\u2032' => '\'',
                '\u201c' or '\u201d' or '\u201e' or '\u201f' or '\u2033' => '"',
                var c => c,
            };
        }
        return WhitespaceRegex().Replace(sb.ToString(), " ").Trim().ToLowerInvariant();
    }

    public static string SquadNorm(string? s)
    {
        var lower = (s ?? "").ToLowerInvariant();
        var sb = new StringBuilder(lower.Length);
        foreach (var c in lower) if (!IsAsciiPunctuation(c)) sb.Append(c);
        var noArticles = ArticleRegex().Replace(sb.ToString(), " ");
        return string.Join(' ', noArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public static double F1(string prediction, string gold)
    {
        var p = SquadNorm(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var g = SquadNorm(gold).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length == 0 || g.Length == 0) return p.Length == g.Length ? 1 : 0;
        var counts = g.GroupBy(x => x).ToDictionary(x => x.Key, x => x.Count());
        var common = 0;
        foreach (var token in p)
            if (counts.TryGetValue(token, out var c) && c > 0) { common++; counts[token] = c - 1; }
        if (common == 0) return 0;
        double precision = (double)common / p.Length, recall = (double)common / g.Length;
        return 2 * precision * recall / (precision + recall);
    }

    private static bool IsAsciiPunctuation(char c) => c < 128 && char.IsPunctuation(c) || c is '$' or '+' or '<' or '=' or '>' or '^' or '`' or '|' or '~';

    private static double? Percentile(List<double> xs, int p)
    {
        if (xs.Count == 0) return null;
        xs.Sort();
        var k = (int)Math.Ceiling(xs.Count * p / 100.0) - 1;
        return xs[Math.Clamp(k, 0, xs.Count - 1)];
    }

    [GeneratedRegex(@"\s+")] private static partial Regex WhitespaceRegex();
    [GeneratedRegex(@"\b(a|an|the)\b")] private static partial Regex ArticleRegex();
    [GeneratedRegex(@"\u2026|\.\.\.")] private static partial Regex EllipsisRegex();
}
