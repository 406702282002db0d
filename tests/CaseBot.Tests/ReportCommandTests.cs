using System.Text.Json;
using CaseBot.Core.Feedback;
using CaseBot.Insights;
using CaseBot.Insights.Storage;

namespace CaseBot.Tests;

/// <summary><c>casebot report</c> and <c>casebot purge</c> over a SQLite insights store, run as users run them.</summary>
public sealed class ReportCommandTests
{
    private static readonly string RepoRoot = RepoPaths.Root;

    private static QuestionRecord Q(string question, bool answered, DateTimeOffset at, params string[] cited) =>
        new(at, "slack", "C1", "somehash", question, answered, cited, answered ? 0.7 : 0.1, 3, AnswerKey.For(question, answered ? "a" : "d"));

    private static async Task<string> StoreWith(params QuestionRecord[] rows)
    {
        var data = CasebotCli.Scratch();
        await using var store = new SqliteInsightStore(Path.Combine(data, "insights.db"));
        await store.InitializeAsync(null);
        await store.RecordQuestionsAsync(rows);
        return data;
    }

    [Fact]
    public async Task Report_json_groups_declined_questions_and_lists_documents_never_cited()
    {
        var now = DateTimeOffset.UtcNow;
        var data = await StoreWith(
            Q("Is it raining in London?", false, now.AddHours(-2)),
            Q("is it raining in london", false, now.AddHours(-1)),
            Q("Who blocked the contract?", true, now.AddHours(-1), "004"),
            Q("An old question", false, now.AddDays(-20)));

        var (code, output, error) = CasebotCli.Run("report", "--json", "--since", "7d", "--data", data, "--corpus", Path.Combine(RepoRoot, "corpus"), "--index", CasebotCli.Scratch());

        Assert.True(code == 0, error);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, report.GetProperty("questions").GetInt32());
        var group = Assert.Single(report.GetProperty("declined").EnumerateArray());
        Assert.Equal(2, group.GetProperty("count").GetInt32());
        Assert.Equal("004", report.GetProperty("citedMost")[0].GetProperty("docId").GetString());
        Assert.Equal(["000", "001", "002", "003"], report.GetProperty("neverCited").EnumerateArray().Select(d => d.GetProperty("docId").GetString()));
    }

    [Fact]
    public async Task Report_replay_lists_the_declined_question_the_current_index_answers_and_not_one_it_still_declines()
    {
        // Declined when they were asked (by an older index); the replay asks them again against the index as it is now,
        // here after a moderator's alias line. (The MiniLM engine already finds this one by its other words, with or
        // without the alias: the replay is what is pinned.)
        const string question = "Who is the Blighty and Europe head of Palantir?";
        var data = await StoreWith(Q(question, false, DateTimeOffset.UtcNow.AddHours(-1)), Q("What is the capital of Peru?", false, DateTimeOffset.UtcNow));
        var corpus = Path.Combine(CasebotCli.Scratch(), "corpus");
        CopyFolder(Path.Combine(RepoRoot, "corpus"), corpus);
        var index = CasebotCli.Scratch();

        await File.AppendAllTextAsync(Path.Combine(corpus, "aliases.conf"), "\nBlighty = UK\n");
        var (code, after, error) = CasebotCli.Run("report", "--replay", "--json", "--data", data, "--corpus", corpus, "--index", index);

        Assert.True(code == 0, error);
        var replay = Assert.Single(JsonDocument.Parse(after).RootElement.GetProperty("replay").EnumerateArray());
        Assert.Equal(question, replay.GetProperty("question").GetString());
        Assert.Contains("Louis Mosley", replay.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Purge_deletes_what_is_older_than_the_retention()
    {
        var now = DateTimeOffset.UtcNow;
        var data = await StoreWith(Q("recent", false, now.AddDays(-1)), Q("old", false, now.AddDays(-40)));

        var (code, output, error) = CasebotCli.Run("purge", "--older-than", "30d", "--data", data);

        Assert.True(code == 0, error);
        Assert.Contains("Purged 1 ", output);
        await using var store = new SqliteInsightStore(Path.Combine(data, "insights.db"));
        Assert.Equal("recent", Assert.Single(await store.QuestionsSinceAsync(DateTimeOffset.UnixEpoch)).Question);
    }

    [Theory]
    [InlineData("report", "--since", "soon")]
    [InlineData("purge", "--older-than", "-1d")]
    public void A_bad_duration_exits_2_and_says_which(params string[] args)
    {
        var (code, _, error) = CasebotCli.Run([.. args, "--data", CasebotCli.Scratch()]);
        Assert.Equal(2, code);
        Assert.Contains("is not a duration", error);
    }

    [Fact]
    public void A_bad_retention_setting_exits_2_naming_it()
    {
        var (code, _, error) = CasebotCli.Run(["purge", "--data", CasebotCli.Scratch()], ("Insights__RetentionDays", "0"));
        Assert.Equal(2, code);
        Assert.Contains("Insights:RetentionDays", error);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
