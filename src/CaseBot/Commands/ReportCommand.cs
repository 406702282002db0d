using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using CaseBot.Core.Corpus;
using CaseBot.Insights.Reporting;

namespace CaseBot.Cli.Commands;

/// <summary>
/// <c>casebot report [--since 7d] [--json] [--replay]</c>: what CaseBot declined most (near-duplicates grouped), the
/// answers with most 👎, answer rate and latency by platform over time, documents cited most and never; with
/// <c>--replay</c>, the once-declined questions the current index (rebuilt first if the corpus or aliases changed)
/// now answers — asked straight to the engine, nothing sent to chat, nothing recorded.
/// </summary>
internal static class ReportCommand
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create()
    {
        var since = new Option<string>("--since") { Description = "How far back: 7d (default), 24h, 2w, 90m", DefaultValueFactory = _ => "7d" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var replay = new Option<bool>("--replay") { Description = "Ask the declined questions again against the current index (after an alias or document was added) and list the ones now answered" };
        var data = InsightsConfig.DataOption();
        var corpus = CommonOptions.Corpus();
        var index = CommonOptions.Index();
        var command = new Command("report", "Moderator report from the recorded questions and votes.") { since, json, replay, data, corpus, index };
        command.SetAction(async (parse, ct) =>
        {
            if (!ReportBuilder.TryParseWindow(parse.GetValue(since), out var window))
            {
                Console.Error.WriteLine($"error: --since '{parse.GetValue(since)}' is not a duration such as 7d, 24h, 2w or 90m.");
                return 2;
            }
            var options = InsightsConfig.Load(parse.GetValue(data));
            if (options is null) return 2;
            await using var store = await InsightsConfig.OpenAsync(options, ct);
            if (store is null) return 1;

            using var bot = CommonOptions.Open(CommonOptions.Resolve(parse.GetValue(corpus)!, parse.GetValue(index)));
            IReadOnlyList<DocumentInfo> documents = bot?.Documents ?? [];
            var report = await ReportBuilder.BuildAsync(store, documents, window, TimeProvider.System, ct);
            if (parse.GetValue(replay))
            {
                if (bot is null) return 2;
                var questions = await store.QuestionsSinceAsync(report.From, ct);
                report = report with { Replay = Replay.Run(bot, questions) };
            }
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, Json) : ReportText.Render(report));
            return 0;
        });
        return command;
    }
}
