using System.Data.Common;
using System.Security.Cryptography;

namespace CaseBot.Insights.Storage;

/// <summary>
/// The store over plain ADO.NET, one SQL text for both databases (both speak <c>INSERT … ON CONFLICT</c>); the
/// subclasses supply the connection and the few lines of DDL that differ. Times are stored as Unix milliseconds.
/// </summary>
public abstract class SqlInsightStore : IInsightStore
{
    private const string Columns = "at_ms, platform, channel_id, user_hash, question, answered, cited, confidence, latency_ms, answer_key";

    public abstract string Backend { get; }

    protected abstract DbConnection CreateConnection();

    /// <summary>CREATE TABLE statements; the questions table's id column is the only part that differs.</summary>
    protected abstract IEnumerable<string> SchemaStatements { get; }

    /// <summary>Runs before the schema transaction (SQLite: switch the file to WAL mode, which a transaction may not do).</summary>
    protected virtual Task BeforeSchemaTransactionAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Runs inside the schema transaction before the DDL (PostgreSQL: an advisory lock against other shards).</summary>
    protected virtual Task BeforeSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

    protected static IEnumerable<string> CommonSchema(string idColumn) =>
    [
        "CREATE TABLE IF NOT EXISTS insights_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        $"CREATE TABLE IF NOT EXISTS insights_questions (id {idColumn}, at_ms BIGINT NOT NULL, platform TEXT NOT NULL, " +
        "channel_id TEXT NULL, user_hash TEXT NOT NULL, question TEXT NOT NULL, answered BOOLEAN NOT NULL, cited TEXT NOT NULL, " +
        "confidence DOUBLE PRECISION NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, answer_key TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS insights_questions_at ON insights_questions (at_ms)",
        "CREATE INDEX IF NOT EXISTS insights_questions_key ON insights_questions (answer_key)",
        "CREATE TABLE IF NOT EXISTS insights_votes (answer_key TEXT NOT NULL, user_hash TEXT NOT NULL, platform TEXT NOT NULL, " +
        "value INTEGER NOT NULL, at_ms BIGINT NOT NULL, PRIMARY KEY (answer_key, user_hash))",
        "CREATE INDEX IF NOT EXISTS insights_votes_at ON insights_votes (at_ms)",
    ];

    public async Task<string> InitializeAsync(string? configuredSalt, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await BeforeSchemaTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await BeforeSchemaAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            foreach (var sql in SchemaStatements)
                await ExecuteAsync(connection, tx, sql, cancellationToken).ConfigureAwait(false);
            // First process to get here makes the salt; every later one (and every shard) reads the same one.
            await ExecuteAsync(connection, tx, "INSERT INTO insights_meta (key, value) VALUES ('user_salt', @v) ON CONFLICT (key) DO NOTHING",
                cancellationToken, ("v", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)))).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!string.IsNullOrEmpty(configuredSalt)) return configuredSalt;
        await using var read = Command(connection, null, "SELECT value FROM insights_meta WHERE key = 'user_salt'");
        return (string)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task RecordQuestionsAsync(IReadOnlyList<QuestionRecord> questions, CancellationToken cancellationToken = default)
    {
        if (questions.Count == 0) return;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var q in questions)
        {
            await ExecuteAsync(connection, tx,
                $"INSERT INTO insights_questions ({Columns}) VALUES (@at, @platform, @channel, @user, @question, @answered, @cited, @confidence, @latency, @key)",
                cancellationToken,
                ("at", q.At.ToUnixTimeMilliseconds()), ("platform", q.Platform), ("channel", q.ChannelId), ("user", q.UserHash),
                ("question", q.Question), ("answered", q.Answered), ("cited", string.Join(',', q.CitedDocIds)),
                ("confidence", q.Confidence), ("latency", q.LatencyMs), ("key", q.AnswerKey)).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(int Up, int Down)> VoteAsync(VoteRecord vote, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (vote.Value == 0)
        {
            await ExecuteAsync(connection, tx, "DELETE FROM insights_votes WHERE answer_key = @key AND user_hash = @user", cancellationToken,
                ("key", vote.AnswerKey), ("user", vote.UserHash)).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(connection, tx,
                "INSERT INTO insights_votes (answer_key, user_hash, platform, value, at_ms) VALUES (@key, @user, @platform, @value, @at) " +
                "ON CONFLICT (answer_key, user_hash) DO UPDATE SET value = excluded.value, at_ms = excluded.at_ms, platform = excluded.platform",
                cancellationToken, ("key", vote.AnswerKey), ("user", vote.UserHash), ("platform", vote.Platform),
                ("value", Math.Sign(vote.Value)), ("at", vote.At.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }
        int up = 0, down = 0;
        await using (var count = Command(connection, tx,
                         "SELECT value, COUNT(*) FROM insights_votes WHERE answer_key = @key GROUP BY value", ("key", vote.AnswerKey)))
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var n = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                if (Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) > 0) up = n; else down = n;
            }
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (up, down);
    }

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ms = cutoff.ToUnixTimeMilliseconds();
        var n = await ExecuteAsync(connection, tx, "DELETE FROM insights_questions WHERE at_ms < @cutoff", cancellationToken, ("cutoff", ms)).ConfigureAwait(false);
        n += await ExecuteAsync(connection, tx, "DELETE FROM insights_votes WHERE at_ms < @cutoff", cancellationToken, ("cutoff", ms)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return n;
    }

    public async Task<IReadOnlyList<QuestionRecord>> QuestionsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT {Columns} FROM insights_questions WHERE at_ms >= @since ORDER BY at_ms, id", ("since", since.ToUnixTimeMilliseconds()));
        return await ReadQuestionsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<QuestionRecord?> FindAnswerAsync(string answerKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT {Columns} FROM insights_questions WHERE answer_key = @key ORDER BY at_ms DESC, id DESC LIMIT 1", ("key", answerKey));
        return (await ReadQuestionsAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<VoteRecord>> VotesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT at_ms, platform, answer_key, user_hash, value FROM insights_votes WHERE at_ms >= @since ORDER BY at_ms, answer_key, user_hash",
            ("since", since.ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var votes = new List<VoteRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            votes.Add(new VoteRecord(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), Convert.ToInt32(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        return votes;
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static async Task<IReadOnlyList<QuestionRecord>> ReadQuestionsAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<QuestionRecord>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new QuestionRecord(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5),
                reader.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries), reader.GetDouble(7), reader.GetDouble(8),
                reader.GetString(9)));
        }
        return list;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }

    protected static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
