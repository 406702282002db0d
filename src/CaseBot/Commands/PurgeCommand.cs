using System.CommandLine;
using CaseBot.Insights.Reporting;

namespace CaseBot.Cli.Commands;

/// <summary><c>casebot purge [--older-than 90d]</c>: deletes recorded questions and votes past retention.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var olderThan = new Option<string?>("--older-than") { Description = "Delete what is older than this (e.g. 30d). Default: Insights__RetentionDays (90 days)" };
        var data = InsightsConfig.DataOption();
        var command = new Command("purge", "Delete recorded questions and votes older than the retention period.") { olderThan, data };
        command.SetAction(async (parse, ct) =>
        {
            var options = InsightsConfig.Load(parse.GetValue(data));
            if (options is null) return 2;
            var age = TimeSpan.FromDays(options.RetentionDays);
            if (parse.GetValue(olderThan) is { } text && !ReportBuilder.TryParseWindow(text, out age))
            {
                Console.Error.WriteLine($"error: --older-than '{text}' is not a duration such as 30d, 12h or 2w.");
                return 2;
            }
            await using var store = await InsightsConfig.OpenAsync(options, ct);
            if (store is null) return 1;
            var cutoff = DateTimeOffset.UtcNow - age;
            var rows = await store.PurgeAsync(cutoff, ct);
            Console.WriteLine($"Purged {rows} questions and votes recorded before {cutoff:yyyy-MM-dd HH:mm} UTC from the {store.Backend} store.");
            return 0;
        });
        return command;
    }
}
