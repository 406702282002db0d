using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CaseBot.Insights.Storage;

/// <summary>The default store: one SQLite file (WAL mode) under the data folder, for one serve process.</summary>
public sealed class SqliteInsightStore : SqlInsightStore
{
    private readonly string _connectionString;

    public SqliteInsightStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public override string Backend => "SQLite";

    protected override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override IEnumerable<string> SchemaStatements =>
        CommonSchema("INTEGER PRIMARY KEY AUTOINCREMENT");

    /// <summary>WAL: the report's reads never wait for the recorder's writes.</summary>
    protected override Task BeforeSchemaTransactionAsync(DbConnection connection, CancellationToken ct) =>
        ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", ct);

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; let go of it so the folder can be moved or deleted.
        using (var connection = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(connection);
        return base.DisposeAsync();
    }
}
