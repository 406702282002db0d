using System.Text.Json;

namespace CaseBot.Tests;

/// <summary>The casebot command run as users run it: the built executable, in a scratch working folder.</summary>
public class CliTests
{
    private static readonly string RepoRoot = RepoPaths.Root;
    private static readonly string Corpus = Path.Combine(RepoRoot, "corpus");

    /// <summary>`casebot ask` with these arguments on the repository's corpus and a fresh index; it must exit 0.</summary>
    private static string Ask(params string[] args)
    {
        var (code, output, _) = CasebotCli.Run(["ask", .. args, "--corpus", Corpus, "--index", CasebotCli.Scratch()]);
        Assert.Equal(0, code);
        return output;
    }

    [Fact]
    public void Ask_answers_the_procurement_question_citing_document_004()
    {
        var output = Ask("Why did City Hall say it blocked the deal?");
        Assert.StartsWith("[004] ", output);
        Assert.Contains("procurement", output);
        Assert.Contains("Sources:", output);
    }

    [Fact]
    public void Ask_json_prints_one_run_line()
    {
        var output = Ask("--json", "Who co-founded Palantir?");
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("answered").GetBoolean());
        Assert.Contains("Thiel", doc.RootElement.GetProperty("answer").GetString());
    }

    [Fact]
    public void Ask_explain_shows_what_the_question_was_read_as_and_the_confidence_against_the_threshold()
    {
        var output = Ask("--explain", "whats the 50 mil contract worth in dollars");
        Assert.Contains("read as:     what is the 50 million contract worth in dollars", output);
        Assert.Contains("asks for:    Money", output);
        Assert.Matches(@"confidence:  0\.\d{3} \(answers at 0\.\d{3} or more\)", output);
        Assert.Contains("runner-up 1: [", output);
        Assert.Contains("best:        [004] ", output);
        Assert.DoesNotContain("declined:", output);
    }

    [Fact]
    public void Ask_explain_of_a_question_a_rule_declines_names_the_rule_and_the_sentence_it_set_aside()
    {
        var output = Ask("--explain", "what did Peter Thiel say about Khan's decision?");
        Assert.Contains("declined:    it asks what someone said and no quoted sentence gives them words", output);
        Assert.Matches(@"best:        \[\d{3}\] 0\.\d{3} .*Thiel", output);
    }

    [Fact]
    public void Ask_with_an_option_it_does_not_have_says_so_instead_of_reading_it_as_question_words()
    {
        var (code, output, error) = CasebotCli.Run("ask", "--set", "AnswerThreshold=0", "Who co-founded Palantir?", "--corpus", Corpus, "--index", CasebotCli.Scratch());
        Assert.NotEqual(0, code);
        Assert.Contains("'--set' is not an option of ask", error);
        Assert.DoesNotContain("Thiel", output);
    }

    [Fact]
    public void Ask_without_a_question_prints_usage_and_exits_2()
    {
        var (code, _, error) = CasebotCli.Run("ask", "   ");
        Assert.Equal(2, code);
        Assert.Contains("usage: casebot ask", error);
    }

    [Fact]
    public void Help_and_usage_describe_the_case_from_configuration()
    {
        var (_, help, _) = CasebotCli.Run("--help");
        Assert.Contains("CaseBot answers questions about the London mayor blocking the £50m Met Police contract with Palantir", help);

        var (code, _, error) = CasebotCli.Run(["ask", "   "], ("Bot__Description", "the harbour bridge inquiry"), ("Bot__ExampleQuestion", "Who approved it?"));
        Assert.Equal(2, code);
        Assert.Contains("Ask a question about the harbour bridge inquiry, for example: \"Who approved it?\"", error);
    }

    [Fact]
    public void Reindex_of_a_corpus_without_documents_fails_clearly_and_keeps_the_index()
    {
        var index = CasebotCli.Scratch();
        Assert.Equal(0, CasebotCli.Run("reindex", "--corpus", Corpus, "--index", index).Code);
        var current = File.ReadAllText(Path.Combine(index, "current"));
        var empty = CasebotCli.Scratch();
        File.WriteAllBytes(Path.Combine(empty, "001_bad.txt"), [0xFF, 0xFE, 0x00]);

        var (code, _, error) = CasebotCli.Run("reindex", "--corpus", empty, "--index", index);

        Assert.Equal(1, code);
        Assert.Contains("No usable document", error);
        Assert.Contains("001_bad.txt", error);
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "current")));
    }

    [Theory]
    [InlineData("--set")]
    [InlineData("--against")]
    public void Bench_with_an_unknown_setting_says_so_in_one_line_before_building_anything(string option)
    {
        var (code, output, error) = CasebotCli.Run("bench", "--corpus", Corpus, "--questions", Path.Combine(RepoRoot, "eval", "case-dev.jsonl"), option, "NoSuchSetting=1");

        Assert.Equal(2, code);
        Assert.StartsWith("error: Unknown engine setting 'NoSuchSetting=1'", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("index build", output);
    }

    [Fact]
    public void Reindex_prints_a_summary()
    {
        var (code, output, _) = CasebotCli.Run("reindex", "--corpus", Corpus, "--index", CasebotCli.Scratch());
        Assert.Equal(0, code);
        Assert.Matches(@"Indexed 5 documents, \d+ passages in [\d.]+ s", output);
    }

    [Fact]
    public void Eval_writes_a_run_line_per_question_and_prints_the_metrics()
    {
        var dir = CasebotCli.Scratch();
        var gold = Path.Combine(dir, "gold.jsonl");
        File.WriteAllLines(gold,
        [
            """{"id":"a","question":"Who is Palantir's head for the UK and Europe?","answerable":true,"gold_docs":["004"],"answers":["Louis Mosley"]}""",
            """{"id":"b","question":"Who won the Premier League this season?","answerable":false,"gold_docs":[],"answers":[]}""",
        ]);
        var run = Path.Combine(dir, "run.jsonl");

        var (code, output, _) = CasebotCli.Run("eval", "--corpus", Corpus, "--index", Path.Combine(dir, "index"), "--questions", gold, "--out", run);

        Assert.Equal(0, code);
        Assert.Equal(2, File.ReadAllLines(run).Length);
        Assert.Matches(@"correct\s+1\.000", output);
        Assert.Matches(@"abstain\(unanswerable\)\s+1\.000", output);
        Assert.Matches(@"faithful\s+1\.000", output);
    }

    [Fact]
    public void Eval_with_a_missing_question_file_says_so()
    {
        var (code, _, error) = CasebotCli.Run("eval", "--corpus", Corpus, "--questions", "/no/such.jsonl", "--out", Path.Combine(CasebotCli.Scratch(), "r.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("/no/such.jsonl", error);
    }
}
