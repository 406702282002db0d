using System.Text.Json.Nodes;
using CaseBot.Discord.Formatting;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Discord.Tests.EndToEnd;

/// <summary>
/// "Growing past one machine": two CaseBot processes with the same token, <c>Discord:ShardCount=2</c> and
/// <c>Discord:ShardId</c> 0 and 1, each with its own index built from the same corpus, against one fake Discord that
/// shards as Discord documents (a guild's events go to shard <c>(guild_id &gt;&gt; 22) % 2</c>, DMs to shard 0).
/// </summary>
public sealed class ShardingTests
{
    private const int ShardCount = 2;
    private static readonly TimeSpan AnswersTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A question, where it is asked, the shard Discord puts it on (worked out by hand from the ids), and the
    /// document its answer must cite (one per corpus document, each the engine's top citation today).</summary>
    private sealed record Question(string MessageId, string? GuildId, string ChannelId, int Shard, string Text, string CitedDoc)
    {
        public JsonObject Message() => GuildId is null
            ? Events.DirectMessageMessage(MessageId, Text)
            : Events.MentionMessage(MessageId, Text, GuildId, ChannelId);
    }

    private static readonly Question[] Questions =
    [
        new("7001", "613425648685547541", "613425648685547600", 0, "What procurement rules did City Hall say were breached?", "004"),
        new("7002", "290926798626357999", Events.ChannelId, 1, "What worries critics about vendor lock-in?", "001"),
        new("7003", "81384788765712384", "81384788765712400", 0, "What tasks would the AI do for the Met?", "003"),
        new("7004", "1234567890123456789", "1234567890123456800", 1, "What did the mayor allege about Palantir's operational history?", "002"),
        new("7005", null, Events.DmChannelId, 0, "What did the contract's software analyze?", "000"),
    ];

    private static Dictionary<string, string> Shard(int id, int count = ShardCount) =>
        new() { ["ShardId"] = id.ToString(), ["ShardCount"] = count.ToString() };

    [Fact]
    public async Task Two_shard_processes_answer_each_question_exactly_once_from_the_process_owning_its_guild_and_DMs_on_shard_0()
    {
        await using var discord = await FakeDiscord.StartAsync(new FakeTimeProvider());
        discord.RecommendedShards = ShardCount;
        // One at a time, so gateway connection i is process i's (Discord, with max_concurrency 1, takes one Identify per 5 s anyway).
        await using var shard0 = await BotProcess.StartAsync(discord, "shard0", Shard(0));
        var session0 = await discord.AcceptSessionAsync(0);
        await using var shard1 = await BotProcess.StartAsync(discord, "shard1", Shard(1));
        // max_concurrency 1: shard 1's Identify bucket opens 5 s after shard 0's.
        await shard1.Clock.AdvanceUntilAsync(() => discord.Connections.Count > 1, TimeSpan.FromSeconds(1));
        var session1 = await discord.AcceptSessionAsync(1);
        await Wait.UntilAsync(() => shard0.Adapter.IsConnected && shard1.Adapter.IsConnected);
        BotProcess[] processes = [shard0, shard1];
        FakeGatewayConnection[] sessions = [session0, session1];

        // Each Identify names its own shard of two, with the one shared token.
        Assert.Equal("[0,2]", session0.Identify!["d"]!["shard"]!.ToJsonString());
        Assert.Equal("[1,2]", session1.Identify!["d"]!["shard"]!.ToJsonString());
        Assert.All(sessions, s => Assert.Equal(DiscordTestRig.Token, (string)s.Identify!["d"]!["token"]!));
        // Separate indexes, built from the same corpus.
        Assert.NotEqual(shard0.Engine.Status.IndexPath, shard1.Engine.Status.IndexPath);
        Assert.StartsWith(shard0.IndexPath, shard0.Engine.Status.IndexPath);
        Assert.StartsWith(shard1.IndexPath, shard1.Engine.Status.IndexPath);
        Assert.Equal(shard0.Engine.Status.CorpusFingerprint, shard1.Engine.Status.CorpusFingerprint);

        foreach (var question in Questions)
        {
            Assert.Equal(question.Shard, FakeDiscord.ShardOf(question.GuildId, ShardCount)); // the test's ids are what they claim
            var deliveredTo = await discord.DispatchAsync("MESSAGE_CREATE", question.Message());
            Assert.Same(sessions[question.Shard], Assert.Single(deliveredTo));
        }
        await Wait.UntilAsync(() => Replies(discord).Count >= Questions.Length, AnswersTimeout);
        // Stopping waits for answers in flight: any duplicate reply would be recorded by now.
        await shard1.StopAsync();
        await shard0.StopAsync();

        var replies = Replies(discord);
        Assert.Equal(Questions.Length, replies.Count);
        foreach (var question in Questions)
        {
            var reply = Assert.Single(replies, r => (string?)r.Json!["message_reference"]?["message_id"] == question.MessageId);
            Assert.Equal(processes[question.Shard].Name, reply.Caller);
            Assert.Equal($"/channels/{question.ChannelId}/messages", reply.Path);
            Assert.Equal(question.GuildId, (string?)reply.Json!["message_reference"]!["guild_id"]);

            // Both processes would have said the same (same corpus), and the reply is exactly that answer.
            var answer = shard0.Engine.Ask(question.Text);
            Assert.True(answer.Answered, $"{question.Text} -> {answer.Text}");
            Assert.Equal(DiscordAnswerFormatter.Format(answer), DiscordAnswerFormatter.Format(shard1.Engine.Ask(question.Text)));
            var content = (string)reply.Json!["content"]!;
            Assert.Equal(DiscordAnswerFormatter.Format(answer), content);
            Assert.Contains($"[{question.CitedDoc}]", content);
        }
        for (var shard = 0; shard < ShardCount; shard++)
            Assert.Equal(Questions.Count(q => q.Shard == shard), processes[shard].Metrics.Answers.Count);
    }

    [Fact]
    public async Task Shard_id_2_of_2_fails_options_validation_at_start_naming_the_variable_and_never_contacts_Discord()
    {
        await using var discord = await FakeDiscord.StartAsync(new FakeTimeProvider());
        await using var process = await BotProcess.StartAsync(discord, "bad", Shard(2), start: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(process.StartHostAsync);

        var failure = Assert.Single(error.Failures);
        Assert.Equal("Discord:ShardId must be between 0 and ShardCount-1 (1) (env Discord__ShardId).", failure);
        Assert.Empty(discord.Requests);
        Assert.Empty(discord.Connections);
    }

    private static IReadOnlyList<RecordedRequest> Replies(FakeDiscord discord) =>
        discord.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
}
