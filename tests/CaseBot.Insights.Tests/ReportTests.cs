using CaseBot.Insights.Reporting;

namespace CaseBot.Insights.Tests;

public sealed class ReportTests
{
    [Fact]
    public void Near_duplicate_questions_share_a_group_led_by_the_most_asked_wording()
    {
        var at = Make.T0;
        var groups = QuestionGrouping.Group([
            ("How much did the Met pay Palantir before?", at),
            ("how much did the met pay palantir before", at),
            ("How much has the Met paid Palantir before?", at),
            ("Did Palantir pay the Met?", at),
            ("Who is the Home Secretary?", at),
        ]);
        Assert.Equal(3, groups.Count);
        Assert.Equal("How much did the Met pay Palantir before?", groups[0].Question);
        Assert.Equal(3, groups[0].Count);
        Assert.Contains("How much has the Met paid Palantir before?", groups[0].Variants);
    }

    [Fact]
    public void Unrelated_questions_sharing_one_word_stay_apart()
    {
        var groups = QuestionGrouping.Group([("Who is the mayor of London?", Make.T0), ("When did the mayor resign?", Make.T0)]);
        Assert.Equal(2, groups.Count);
    }

    [Fact]
    public void The_report_gives_answer_rate_and_latency_per_platform_per_day_and_documents_cited_and_never_cited()
    {
        var q = new List<QuestionRecord>
        {
            Make.Record("a", true, Make.T0, "slack", ["004"], 2),
            Make.Record("b", false, Make.T0.AddHours(1), "slack", null, 4),
            Make.Record("c", true, Make.T0.AddDays(1), "slack", ["004", "001"], 6),
            Make.Record("d", true, Make.T0.AddDays(1), "discord", ["001"], 10),
        };
        var docs = new[] { Doc("000"), Doc("001"), Doc("004") };
        var report = ReportBuilder.Build("test", q, [], new Dictionary<string, QuestionRecord>(), docs, Make.T0.AddDays(-6), Make.T0.AddDays(1));

        Assert.Equal("day", report.Bucket);
        var slack = report.Platforms.Single(p => p.Platform == "slack");
        Assert.Equal((3, 2, 0.667, 4.0), (slack.Questions, slack.Answered, slack.AnswerRate, slack.MedianLatencyMs));
        Assert.Equal(3, report.Timeline.Count);
        var firstDay = report.Timeline[0];
        Assert.Equal(("slack", Make.T0.Date, 2, 0.5), (firstDay.Platform, firstDay.Start.UtcDateTime, firstDay.Questions, firstDay.AnswerRate));
        Assert.Equal(["001", "004"], report.CitedMost.Select(d => d.DocId).Order());
        Assert.Equal("000", Assert.Single(report.NeverCited).DocId);
        Assert.Equal(0.75, report.AnswerRate);
    }

    [Fact]
    public void The_text_report_shows_each_group_with_its_variants_rates_and_documents()
    {
        var q = new List<QuestionRecord>
        {
            Make.Record("Is it raining in London?", false, Make.T0, "slack"),
            Make.Record("is it raining in london", false, Make.T0, "slack"),
            Make.Record("Is it raining in London today?", false, Make.T0, "slack"),
            Make.Record("Who blocked the contract?", true, Make.T0, "slack", ["004"]),
        };
        var report = ReportBuilder.Build("SQLite", q, [], new Dictionary<string, QuestionRecord>(), [Doc("000"), Doc("004")], Make.T0.AddDays(-7), Make.T0.AddHours(1));
        var text = ReportText.Render(report);
        Assert.Contains("4 questions, 1 answered (25%).", text);
        Assert.Contains("     3×  Is it raining in London?\n         ~ Is it raining in London today?", text);
        Assert.Contains("slack        4 asked     25% answered", text);
        Assert.Contains("      1  [004] Title 004", text);
        Assert.Contains("Documents never cited:\n         [000] Title 000", text);
    }

    [Theory]
    [InlineData("7d", 7 * 24)]
    [InlineData("24h", 24)]
    [InlineData("2w", 14 * 24)]
    [InlineData("30", 30 * 24)]
    public void Windows_parse_in_days_hours_and_weeks(string text, int hours)
    {
        Assert.True(ReportBuilder.TryParseWindow(text, out var window));
        Assert.Equal(TimeSpan.FromHours(hours), window);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-3d")]
    [InlineData("7x")]
    [InlineData("d")]
    public void Nonsense_windows_are_refused(string text) => Assert.False(ReportBuilder.TryParseWindow(text, out _));

    [Fact]
    public void Options_with_a_bad_retention_or_connection_string_fail_validation_naming_the_setting()
    {
        var result = new InsightsOptionsValidator().Validate(null, new InsightsOptions { RetentionDays = 0, ConnectionString = "Host=x;Bogus Key=1" });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Insights:RetentionDays"));
        Assert.Contains(result.Failures!, f => f.Contains("Insights:ConnectionString"));
        Assert.True(new InsightsOptionsValidator().Validate(null, new InsightsOptions()).Succeeded);
    }

    private static Core.Corpus.DocumentInfo Doc(string id) => new(id, "Title " + id, id + ".txt", "Text.");
}
