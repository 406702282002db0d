using System.Diagnostics;
using System.Text.Json;
using CaseBot.Core.Evaluation;

namespace CaseBot.Core.Tests;

public class RunFileTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly GoldQuestion[] Gold =
    [
        new() { Id = "q1", Question = "Why did City Hall say it blocked the deal?", Answerable = true, GoldDocs = ["004"], Answers = ["procurement rule"] },
        new() { Id = "q2", Question = "Who won the Premier League this season?", Answerable = false },
    ];

    [Fact]
    public void Run_lines_round_trip_through_score_py_with_the_same_metrics_as_ours()
    {
        var dir = TestPaths.NewScratch();
        var goldPath = Path.Combine(dir, "gold.jsonl");
        var runPath = Path.Combine(dir, "run.jsonl");
        File.WriteAllLines(goldPath, Gold.Select(g => JsonSerializer.Serialize(g)));
        var run = Gold.ToDictionary(g => g.Id, g => RunLine.From(g.Id, fixture.Bot.Ask(g.Question)));
        File.WriteAllLines(runPath, run.Values.Select(r => r.ToJson()));

        var ours = Scorer.Score(Gold, run, Scorer.CorpusTexts(TestPaths.Corpus)).ToDictionary(m => m.Name, m => m.Value);
        var theirs = RunScorePy(goldPath, runPath);

        Assert.Equal(1.0, theirs.GetProperty("correct").GetDouble());
        Assert.Equal(1.0, theirs.GetProperty("abstain(unanswerable)").GetDouble());
        Assert.Equal(1.0, theirs.GetProperty("faithful").GetDouble());
        foreach (var name in new[] { "R@1", "answer-hit", "cite-hit", "correct", "accuracy", "short-F1", "faithful" })
            Assert.Equal(theirs.GetProperty(name).GetDouble(), ours[name]!.Value, 6);
        Assert.Equal(theirs.GetProperty("short-shown").GetDouble(), ours["short-shown"]!.Value, 6);
        // Of no shown short answer there is no precision: null in both.
        var precision = theirs.GetProperty("short-precision");
        if (precision.ValueKind == JsonValueKind.Null) Assert.Null(ours["short-precision"]);
        else Assert.Equal(precision.GetDouble(), ours["short-precision"]!.Value, 6);
    }

    [Fact]
    public void Run_line_json_has_the_fields_score_py_reads()
    {
        var line = RunLine.From("q1", fixture.Bot.Ask(Gold[0].Question));
        using var doc = JsonDocument.Parse(line.ToJson());
        foreach (var field in new[] { "id", "answered", "answer", "citations", "docs", "scores", "ms" })
            Assert.True(doc.RootElement.TryGetProperty(field, out _), field);
        Assert.Equal("004", doc.RootElement.GetProperty("citations")[0].GetProperty("doc").GetString());
    }

    [Fact]
    public void A_bad_question_line_is_reported_with_its_line_number()
    {
        var path = Path.Combine(TestPaths.NewScratch(), "bad.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\",\"question\":\"ok?\",\"answerable\":true}\n{not json\n");
        var e = Assert.Throws<InvalidDataException>(() => GoldQuestion.Load(path));
        Assert.Contains("bad.jsonl:2", e.Message);
    }

    private static JsonElement RunScorePy(string gold, string run)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "eval", "score.py");
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, gold, run, "--corpus", TestPaths.Corpus, "--json" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        // Both pipes read at once and the wait bounded: a stuck or chatty script fails the test instead of hanging it.
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("score.py timed out");
        }
        Assert.True(p.ExitCode == 0, error.Result);
        return JsonDocument.Parse(output.Result).RootElement.Clone();
    }
}
