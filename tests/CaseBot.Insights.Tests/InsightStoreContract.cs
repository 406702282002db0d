using CaseBot.Core.Feedback;
using CaseBot.Insights.Reporting;
using CaseBot.Insights.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Insights.Tests;

/// <summary>
/// What every insight store must do. <see cref="SqliteInsightStoreTests"/> and <see cref="PostgresInsightStoreTests"/>
/// run these same tests against each database.
/// </summary>
public abstract class InsightStoreContract : IAsyncLifetime
{
    private readonly List<IInsightStore> _opened = [];

    /// <summary>A new store object over the same database each call (a "restart").</summary>
    protected abstract IInsightStore CreateStore();

    /// <summary>Skips (or, where the database is required, fails) when the database is not there.</summary>
    protected virtual void RequireDatabase() { }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }

    private async Task<IInsightStore> OpenAsync(string? salt = null)
    {
        RequireDatabase();
        var store = CreateStore();
        _opened.Add(store);
        await store.InitializeAsync(salt);
        return store;
    }

    [SkippableFact]
    public async Task Recorded_questions_survive_a_restart_with_citations_flags_and_latency()
    {
        var store = await OpenAsync();
        await store.RecordQuestionsAsync([
            Make.Record("Who blocked the contract?", true, Make.T0, "slack", ["004", "000"], 4.5),
            Make.Record("What is the weather?", false, Make.T0.AddMinutes(1), "discord"),
        ]);
        await store.DisposeAsync();

        var reopened = await OpenAsync();
        var rows = await reopened.QuestionsSinceAsync(Make.T0.AddDays(-1));
        Assert.Equal(2, rows.Count);
        Assert.Equal("Who blocked the contract?", rows[0].Question);
        Assert.True(rows[0].Answered);
        Assert.Equal(["004", "000"], rows[0].CitedDocIds);
        Assert.Equal(4.5, rows[0].LatencyMs);
        Assert.Equal("slack", rows[0].Platform);
        Assert.Equal("C1", rows[0].ChannelId);
        Assert.Equal(Make.T0, rows[0].At);
        Assert.False(rows[1].Answered);
        Assert.Empty(rows[1].CitedDocIds);
        Assert.Equal(rows[0].AnswerKey, (await reopened.FindAnswerAsync(rows[0].AnswerKey))!.AnswerKey);
        Assert.Empty(await reopened.QuestionsSinceAsync(Make.T0.AddMinutes(2)));
    }

    [SkippableFact]
    public async Task Each_user_has_one_vote_per_answer_which_they_can_change_or_withdraw()
    {
        var store = await OpenAsync();
        var key = AnswerKey.For("Who blocked it?", "[004] Sadiq Khan blocked it.");
        Assert.Equal((1, 0), await store.VoteAsync(new VoteRecord(Make.T0, "slack", key, "alice", 1)));
        Assert.Equal((1, 0), await store.VoteAsync(new VoteRecord(Make.T0.AddSeconds(1), "slack", key, "alice", 1)));
        Assert.Equal((0, 1), await store.VoteAsync(new VoteRecord(Make.T0.AddSeconds(2), "slack", key, "alice", -1)));
        Assert.Equal((1, 1), await store.VoteAsync(new VoteRecord(Make.T0.AddSeconds(3), "web", key, "bob", 1)));
        var votes = await store.VotesSinceAsync(Make.T0.AddDays(-1));
        Assert.Equal(2, votes.Count);
        Assert.Equal(-1, votes.Single(v => v.UserHash == "alice").Value);

        Assert.Equal((1, 0), await store.VoteAsync(new VoteRecord(Make.T0.AddSeconds(4), "slack", key, "alice", 0)));
        Assert.Equal("bob", Assert.Single(await store.VotesSinceAsync(Make.T0.AddDays(-1))).UserHash);
    }

    [SkippableFact]
    public async Task Purge_deletes_questions_and_votes_older_than_the_cutoff_only()
    {
        var store = await OpenAsync();
        var clock = new FakeTimeProvider(Make.T0.AddDays(100));
        await store.RecordQuestionsAsync([
            Make.Record("old question", false, Make.T0),
            Make.Record("recent question", false, Make.T0.AddDays(95)),
        ]);
        await store.VoteAsync(new VoteRecord(Make.T0, "web", AnswerKey.For("old", "x"), "u1", -1));
        await store.VoteAsync(new VoteRecord(Make.T0.AddDays(95), "web", AnswerKey.For("recent", "x"), "u1", 1));

        var purged = await RetentionService.PurgeAsync(store, new InsightsOptions { RetentionDays = 90 }, clock);

        Assert.Equal(2, purged);
        Assert.Equal("recent question", Assert.Single(await store.QuestionsSinceAsync(DateTimeOffset.UnixEpoch)).Question);
        Assert.Equal(1, Assert.Single(await store.VotesSinceAsync(DateTimeOffset.UnixEpoch)).Value);
    }

    [SkippableFact]
    public async Task The_salt_is_made_once_and_shared_by_every_process_using_the_store()
    {
        var first = await CreateAndInitialize(null);
        var second = await CreateAndInitialize(null);
        Assert.Equal(first, second);
        Assert.True(first.Length >= 32);
        Assert.Equal("a-configured-salt-of-enough-length", await CreateAndInitialize("a-configured-salt-of-enough-length"));
    }

    private async Task<string> CreateAndInitialize(string? salt)
    {
        RequireDatabase();
        var store = CreateStore();
        _opened.Add(store);
        return await store.InitializeAsync(salt);
    }

    [SkippableFact]
    public async Task Several_processes_starting_and_writing_at_once_share_one_salt_and_lose_no_record()
    {
        RequireDatabase();
        var shards = Enumerable.Range(0, 4).Select(_ => CreateStore()).ToList();
        _opened.AddRange(shards);
        var salts = await Task.WhenAll(shards.Select(s => s.InitializeAsync(null)));
        Assert.Single(salts.Distinct());

        await Task.WhenAll(shards.Select((s, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
                await s.RecordQuestionsAsync([Make.Record($"shard {n} question {i}", i % 2 == 0, Make.T0.AddSeconds(i))]);
            await s.VoteAsync(new VoteRecord(Make.T0, "discord", AnswerKey.For("shared", "x"), $"user{n}", -1));
        })));

        Assert.Equal(40, (await shards[0].QuestionsSinceAsync(DateTimeOffset.UnixEpoch)).Count);
        Assert.Equal((0, 5), await shards[1].VoteAsync(new VoteRecord(Make.T0, "slack", AnswerKey.For("shared", "x"), "user9", -1)));
    }

    [SkippableFact]
    public async Task The_recorder_stores_the_question_and_a_salted_hash_never_the_user_id_or_answer_text()
    {
        var store = await OpenAsync();
        var recorder = new InsightRecorder(store, Make.Options(), new FakeTimeProvider(Make.T0));
        await recorder.StartAsync(CancellationToken.None);
        recorder.OnAnswered(Make.Asked(Make.Answered("Who blocked the deal?", "004"), Make.T0, user: "U123-alice"));
        recorder.OnAnswered(Make.Asked(Make.Declined("Is it raining?"), Make.T0, platform: "discord", user: "U123-alice"));
        var vote = await recorder.VoteAsync(new VoteCast("slack", AnswerKey.For(Make.Answered("Who blocked the deal?", "004")), "U123-alice", VoteValue.Down));
        await recorder.StopAsync(CancellationToken.None);

        Assert.Equal(new VoteOutcome(vote.AnswerKey, VoteValue.Down, 0, 1), vote);
        var rows = await store.QuestionsSinceAsync(DateTimeOffset.UnixEpoch);
        Assert.Equal(["Who blocked the deal?", "Is it raining?"], rows.Select(r => r.Question));
        var votes = await store.VotesSinceAsync(DateTimeOffset.UnixEpoch);
        var everything = string.Join("|", rows.SelectMany(r => new[] { r.UserHash, r.Question, r.ChannelId, r.AnswerKey, r.Platform }))
                         + string.Join("|", votes.Select(v => v.UserHash + v.AnswerKey));
        Assert.DoesNotContain("alice", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("U123", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("A sentence from", everything);
        // Same user, same platform: same hash (so "one vote per user" holds); another platform: another hash.
        Assert.Equal(rows[0].UserHash, votes[0].UserHash);
        Assert.NotEqual(rows[0].UserHash, rows[1].UserHash);
        Assert.Equal(32, rows[0].UserHash.Length);
    }

    [SkippableFact]
    public async Task The_report_from_the_store_groups_near_duplicate_declined_questions_and_ranks_downvoted_answers()
    {
        var store = await OpenAsync();
        var clock = new FakeTimeProvider(Make.T0.AddDays(1));
        await store.RecordQuestionsAsync([
            Make.Record("What did Palantir's CEO say about the mayor?", false, Make.T0),
            Make.Record("what did the Palantir CEO say about the mayor", false, Make.T0.AddMinutes(1)),
            Make.Record("What did the CEO of Palantir say about the Mayor?", false, Make.T0.AddMinutes(2)),
            Make.Record("Is there a court case?", false, Make.T0.AddMinutes(3)),
            Make.Record("Who blocked the contract?", true, Make.T0.AddMinutes(4), "slack", ["004"]),
        ]);
        var disliked = Make.Record("Who blocked the contract?", true, Make.T0, cited: ["004"]).AnswerKey;
        await store.VoteAsync(new VoteRecord(Make.T0.AddMinutes(5), "slack", disliked, "u1", -1));
        await store.VoteAsync(new VoteRecord(Make.T0.AddMinutes(5), "slack", disliked, "u2", -1));

        var report = await ReportBuilder.BuildAsync(store, [], TimeSpan.FromDays(7), clock);

        Assert.Equal(5, report.Questions);
        Assert.Equal(2, report.Declined.Count);
        Assert.Equal(3, report.Declined[0].Count);
        Assert.Equal(1, report.Declined[1].Count);
        var down = Assert.Single(report.MostDownvoted);
        Assert.Equal(("Who blocked the contract?", 2, 0), (down.Question, down.Down, down.Up));
        Assert.Equal(["004"], down.Citations);
    }
}

/// <summary>The store contract against SQLite, a fresh file per test.</summary>
public sealed class SqliteInsightStoreTests : InsightStoreContract
{
    private readonly string _folder = Make.TempFolder("casebot-insights-sqlite");

    protected override IInsightStore CreateStore() => new SqliteInsightStore(Path.Combine(_folder, "insights.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}

/// <summary>
/// The store contract against PostgreSQL, a fresh schema per test. <c>.ci/run</c> starts a server and sets
/// <c>CASEBOT_TEST_POSTGRES</c> (and <c>CASEBOT_REQUIRE_POSTGRES=1</c>, so a missing server fails there instead of skipping).
/// </summary>
public sealed class PostgresInsightStoreTests : InsightStoreContract
{
    private readonly string _schema = "casebot_test_" + Guid.NewGuid().ToString("N")[..12];
    private string? _connectionString;
    private string? _unavailable;

    public override async Task InitializeAsync()
    {
        var baseString = Environment.GetEnvironmentVariable("CASEBOT_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(baseString))
        {
            _unavailable = "no PostgreSQL server: set CASEBOT_TEST_POSTGRES to a connection string (.ci/run starts one from Debian's postgresql package)";
            return;
        }
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(baseString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
            await command.ExecuteNonQueryAsync();
            _connectionString = new Npgsql.NpgsqlConnectionStringBuilder(baseString) { SearchPath = _schema }.ToString();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            _unavailable = $"the PostgreSQL server of CASEBOT_TEST_POSTGRES is not reachable: {e.Message}";
        }
    }

    protected override void RequireDatabase()
    {
        if (_unavailable is null) return;
        if (Environment.GetEnvironmentVariable("CASEBOT_REQUIRE_POSTGRES") == "1")
            Assert.Fail(_unavailable + " (CASEBOT_REQUIRE_POSTGRES=1: CI must run these tests)");
        Skip.If(true, _unavailable);
    }

    protected override IInsightStore CreateStore() => new PostgresInsightStore(_connectionString!);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is null) return;
        await using var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("CASEBOT_TEST_POSTGRES"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
