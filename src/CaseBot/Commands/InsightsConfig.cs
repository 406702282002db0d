using System.CommandLine;
using CaseBot.Insights;
using CaseBot.Insights.Storage;
using Microsoft.Extensions.Configuration;

namespace CaseBot.Cli.Commands;

/// <summary>
/// The insight store the way <c>serve</c> finds it: <c>appsettings.json</c> next to the binary, then environment
/// variables (<c>Insights__DataPath</c>, <c>Insights__ConnectionString</c>, <c>Insights__RetentionDays</c>).
/// </summary>
internal static class InsightsConfig
{
    public static InsightsOptions? Load(string? dataPath)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new InsightsOptions();
        config.GetSection(InsightsOptions.Section).Bind(options);
        if (!string.IsNullOrWhiteSpace(dataPath))
        {
            options.DataPath = dataPath;
            options.ConnectionString = null;
        }
        var result = new InsightsOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            Console.Error.WriteLine("error: the insights configuration needs fixing:");
            foreach (var failure in result.Failures!) Console.Error.WriteLine($"  - {failure}");
            return null;
        }
        return options;
    }

    public static async Task<IInsightStore?> OpenAsync(InsightsOptions options, CancellationToken ct)
    {
        if (!options.UsesPostgres && !File.Exists(options.SqlitePath))
        {
            Console.Error.WriteLine($"note: no insights database at {options.SqlitePath} yet (serve creates it on its first question; " +
                                    "set Insights__DataPath or --data if it lives elsewhere).");
        }
        var store = InsightsServiceCollectionExtensions.CreateStore(options);
        try
        {
            await store.InitializeAsync(options.UserSalt, ct);
            return store;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException
                                      or System.Net.Sockets.SocketException or TimeoutException)
        {
            Console.Error.WriteLine($"error: cannot open the {store.Backend} insights store: {e.Message}");
            await store.DisposeAsync();
            return null;
        }
    }

    public static Option<string?> DataOption() => new("--data")
    {
        Description = "Folder of insights.db (SQLite). Default: $Insights__DataPath or ./data; with $Insights__ConnectionString set, PostgreSQL is used instead",
    };
}
