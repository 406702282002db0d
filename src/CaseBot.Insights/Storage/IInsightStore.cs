namespace CaseBot.Insights.Storage;

/// <summary>
/// Questions and votes, kept across restarts and reindexes. Every method is safe to call from several threads and,
/// for PostgreSQL, from several processes at once.
/// </summary>
public interface IInsightStore : IAsyncDisposable
{
    /// <summary>"SQLite" or "PostgreSQL", for logs and the report.</summary>
    string Backend { get; }

    /// <summary>Creates the tables when missing (idempotent) and returns the salt user ids are hashed with: the one
    /// given, or a random one made on first use and kept in the store, shared by every process using it.</summary>
    Task<string> InitializeAsync(string? configuredSalt, CancellationToken cancellationToken = default);

    Task RecordQuestionsAsync(IReadOnlyList<QuestionRecord> questions, CancellationToken cancellationToken = default);

    /// <summary>Sets (or with value 0 withdraws) the user's one vote on the answer and returns the answer's totals.</summary>
    Task<(int Up, int Down)> VoteAsync(VoteRecord vote, CancellationToken cancellationToken = default);

    /// <summary>Deletes questions and votes older than <paramref name="cutoff"/>; returns how many rows went.</summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QuestionRecord>> QuestionsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VoteRecord>> VotesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>The most recent stored question with this answer key (any age), for votes on older answers.</summary>
    Task<QuestionRecord?> FindAnswerAsync(string answerKey, CancellationToken cancellationToken = default);
}
