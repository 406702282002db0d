using System.Data.Common;
using Npgsql;

namespace CaseBot.Insights.Storage;

/// <summary>The shared store for several serve processes (shards): one PostgreSQL database.</summary>
public sealed class PostgresInsightStore(string connectionString) : SqlInsightStore
{
    /// <summary>Any constant: serialises the CREATE TABLE IF NOT EXISTS of shards starting together.</summary>
    private const long SchemaLockId = 0x43617365426f74; // "CaseBot"

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public override string Backend => "PostgreSQL";

    protected override DbConnection CreateConnection() => _source.CreateConnection();

    protected override IEnumerable<string> SchemaStatements => CommonSchema("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    protected override Task BeforeSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockId})", ct);

    public override async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
