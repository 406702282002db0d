using Microsoft.Extensions.Options;

namespace CaseBot.Insights;

/// <summary>
/// Where questions and votes are kept and for how long. Bound from the <c>Insights</c> section
/// (<c>Insights__DataPath</c>, <c>Insights__ConnectionString</c>, …).
/// </summary>
public sealed class InsightsOptions
{
    public const string Section = "Insights";

    /// <summary>Turns recording off entirely (nothing stored, the report is empty).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of the SQLite database (<c>insights.db</c>) when no PostgreSQL connection string is set.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>A PostgreSQL connection string (<c>Host=…;Database=…;Username=…;Password=…</c>). Set it, from the
    /// environment (<c>Insights__ConnectionString</c>), when several serve processes (shards) share one store.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Questions and votes older than this many days are purged (at start-up, daily, and by <c>casebot purge</c>).</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Questions waiting to be written; beyond this, new ones are dropped (and counted) rather than slow answering.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Salt for hashing user ids. Empty: a random salt is made once and kept in the store itself, so every
    /// shard hashes alike.</summary>
    public string? UserSalt { get; set; }

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(ConnectionString);

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataPath, "insights.db"));

    /// <summary>Never prints the connection string (it holds a password).</summary>
    public override string ToString() =>
        $"Enabled={Enabled}, Store={(UsesPostgres ? "PostgreSQL" : "SQLite " + SqlitePath)}, RetentionDays={RetentionDays}";
}

/// <summary>Start-up checks for <see cref="InsightsOptions"/>; every message names the setting to fix.</summary>
public sealed class InsightsOptionsValidator : IValidateOptions<InsightsOptions>
{
    public ValidateOptionsResult Validate(string? name, InsightsOptions o)
    {
        var errors = new List<string>();
        if (o.RetentionDays is < 1 or > 3650)
            errors.Add("Insights:RetentionDays must be between 1 and 3650 days (env Insights__RetentionDays; default 90).");
        if (o.QueueCapacity is < 10 or > 1_000_000)
            errors.Add("Insights:QueueCapacity must be between 10 and 1000000 (env Insights__QueueCapacity).");
        if (!o.UsesPostgres && string.IsNullOrWhiteSpace(o.DataPath))
            errors.Add("Insights:DataPath is empty: set Insights__DataPath to the folder for insights.db, or Insights__ConnectionString for PostgreSQL.");
        if (o.UsesPostgres)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(o.ConnectionString);
            }
            catch (ArgumentException e)
            {
                // The message of the builder never echoes the password-bearing string itself.
                errors.Add($"Insights:ConnectionString is not a PostgreSQL connection string ({e.Message}); expected e.g. Host=localhost;Database=casebot;Username=casebot;Password=… (env Insights__ConnectionString).");
            }
        }
        if (o.UserSalt is { Length: > 0 and < 16 })
            errors.Add("Insights:UserSalt is shorter than 16 characters: use a long random value (`openssl rand -hex 32`) or leave it empty for a stored random salt.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
