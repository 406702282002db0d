using System.Globalization;
using System.Text;

namespace CaseBot.Insights.Reporting;

/// <summary>The report as plain text for the terminal.</summary>
public static class ReportText
{
    public static string Render(InsightReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"CaseBot report {r.From:yyyy-MM-dd HH:mm} – {r.To:yyyy-MM-dd HH:mm} UTC ({r.Backend})");
        s.AppendLine(inv, $"{r.Questions} questions, {r.Answered} answered ({r.AnswerRate * 100:F0}%).");
        s.AppendLine();
        s.AppendLine("Declined most often (near-duplicates grouped):");
        if (r.Declined.Count == 0) s.AppendLine("  none");
        foreach (var g in r.Declined)
        {
            s.AppendLine(inv, $"  {g.Count,4}×  {g.Question}");
            foreach (var v in g.Variants.Skip(1).Take(4)) s.AppendLine(inv, $"         ~ {v}");
        }
        s.AppendLine();
        s.AppendLine("Answers with the most 👎:");
        if (r.MostDownvoted.Count == 0) s.AppendLine("  none");
        foreach (var d in r.MostDownvoted)
        {
            var what = d.Question ?? $"(answer {d.AnswerKey}, question no longer stored)";
            var cites = d.Citations.Count > 0 ? $"  cites [{string.Join("] [", d.Citations)}]" : d.Answered == false ? "  (declined)" : "";
            s.AppendLine(inv, $"  👎 {d.Down} 👍 {d.Up}  {what}{cites}");
        }
        s.AppendLine();
        s.AppendLine("By platform:");
        if (r.Platforms.Count == 0) s.AppendLine("  no questions");
        foreach (var p in r.Platforms)
            s.AppendLine(inv, $"  {p.Platform,-8} {p.Questions,5} asked  {p.AnswerRate * 100,5:F0}% answered  p50 {p.MedianLatencyMs:F1} ms  p95 {p.P95LatencyMs:F1} ms");
        if (r.Timeline.Count > 0)
        {
            s.AppendLine(inv, $"Per {r.Bucket}:");
            foreach (var t in r.Timeline)
                s.AppendLine(inv, $"  {t.Start:yyyy-MM-dd HH:mm}  {t.Platform,-8} {t.Questions,5} asked  {t.AnswerRate * 100,5:F0}% answered  p50 {t.MedianLatencyMs:F1} ms");
        }
        s.AppendLine();
        s.AppendLine("Documents cited most:");
        if (r.CitedMost.Count == 0) s.AppendLine("  none");
        foreach (var d in r.CitedMost) s.AppendLine(inv, $"  {d.Citations,5}  [{d.DocId}] {d.Title}");
        s.AppendLine("Documents never cited:");
        if (r.NeverCited.Count == 0) s.AppendLine("  none");
        foreach (var d in r.NeverCited) s.AppendLine(inv, $"         [{d.DocId}] {d.Title}");
        if (r.Replay is { } replay)
        {
            s.AppendLine();
            s.AppendLine("Declined before, answered by the current index:");
            if (replay.Count == 0) s.AppendLine("  none");
            foreach (var q in replay)
            {
                s.AppendLine(inv, $"  {q.TimesDeclined,4}×  {q.Question}");
                foreach (var line in q.Text.Split('\n')) s.AppendLine(inv, $"         {line}");
            }
        }
        return s.ToString();
    }
}
