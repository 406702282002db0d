using CaseBot.Discord.Tests.Infrastructure;

namespace CaseBot.Discord.Tests.Gateway;

/// <summary>Issue 11 item 7: shards identify in <c>shard_id % max_concurrency</c> buckets, 5 s apart.</summary>
public sealed class ShardIdentifyTests
{
    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(3, 1, 15)]
    [InlineData(3, 2, 5)]
    [InlineData(3, 4, 0)]
    public async Task The_first_identify_waits_for_the_shards_bucket(int shardId, int maxConcurrency, int seconds)
    {
        await using var rig = await DiscordTestRig.StartAsync(s =>
        {
            s["Discord:ShardId"] = shardId.ToString();
            s["Discord:ShardCount"] = "4";
        }, start: false);
        rig.Fake.MaxConcurrency = maxConcurrency;
        await rig.Host.StartAsync().WaitAsync(Wait.Default);
        var start = (await rig.Fake.WaitForRequestAsync(r => r.Path == "/gateway/bot")).At;
        if (seconds > 0) await Wait.UntilAsync(() => rig.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Information, "for its Identify slot"));

        if (seconds == 0) await Wait.UntilAsync(() => rig.Fake.Connections.Count > 0); // no wait: the clock need not move
        else await rig.Clock.AdvanceUntilAsync(() => rig.Fake.Connections.Count > 0, TimeSpan.FromMilliseconds(100));
        var connection = rig.Fake.Connections[0];
        await connection.SendAsync(Events.Hello());
        var identify = await connection.ExpectOpAsync(2);

        Assert.InRange(connection.ConnectedAt - start, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds + 1));
        Assert.Equal($"[{shardId},4]", identify["d"]!["shard"]!.ToJsonString());
    }
}
