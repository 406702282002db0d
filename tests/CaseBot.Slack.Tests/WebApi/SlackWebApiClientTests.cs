using CaseBot.Core.Hosting;
using CaseBot.Slack.Options;
using CaseBot.Slack.Tests.Infrastructure;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Slack.Tests.WebApi;

/// <summary>The Web API client against the loopback fake, with rate-limit waits in virtual time.</summary>
public sealed class SlackWebApiClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly SlackMessage Hello = new("hi");

    private static SlackWebApiClient Client(FakeSlack slack, TimeProvider time, TestLogs logs, Action<SlackOptions>? configure = null)
    {
        var o = new SlackOptions
        {
            BotToken = SlackTestHost.BotToken,
            AppToken = SlackTestHost.AppToken,
            ApiBaseUrl = slack.ApiBaseUrl,
            ChannelMessageInterval = TimeSpan.Zero,
        };
        configure?.Invoke(o);
        var factory = new LoggerFactory([logs]);
        return new SlackWebApiClient(new SingleClientFactory(), Microsoft.Extensions.Options.Options.Create(o), time,
            factory.CreateLogger<SlackWebApiClient>(), NullBotMetrics.Instance);
    }

    [Fact]
    public async Task Rate_limited_429_with_Retry_After_is_waited_out_then_retried()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Clock = time;
        slack.Script("chat.postMessage", new FakeResponse(429, Fixture.Text("web_api/ratelimited_429_body.json"), RetryAfter: "1"));
        var client = Client(slack, time, new TestLogs());

        var post = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        await slack.Calls.WaitForAsync(c => c.Method == "chat.postMessage");
        // Virtual time moves in small steps until the retry arrives; it must not come before Retry-After.
        await time.AdvanceUntilAsync(() => post.IsCompleted, TimeSpan.FromMilliseconds(100));
        var result = await post.WaitAsync(Wait);

        Assert.True(result.Ok);
        var calls = slack.CallsTo("chat.postMessage");
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(1), $"retried after {calls[1].At - calls[0].At}");
    }

    [Fact]
    public async Task Rate_limit_retries_are_bounded()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limited = Enumerable.Range(0, 10).Select(_ => new FakeResponse(429, Fixture.Text("web_api/ratelimited_429_body.json"), RetryAfter: "1")).ToArray();
        slack.Script("chat.postMessage", limited);
        var client = Client(slack, time, new TestLogs(), o => o.MaxRateLimitRetries = 2);

        var post = client.PostMessageAsync("C111", Hello, null, CancellationToken.None);
        await time.AdvanceUntilAsync(() => post.IsCompleted, TimeSpan.FromMilliseconds(250));
        var result = await post.WaitAsync(Wait);

        Assert.False(result.Ok);
        Assert.Equal("ratelimited", result.Error);
        Assert.Equal(3, slack.CallsTo("chat.postMessage").Count);
    }

    [Fact]
    public async Task Retry_After_longer_than_the_cap_is_not_waited()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", new FakeResponse(429, Fixture.Text("web_api/ratelimited_429_body.json"), RetryAfter: "3600"));
        var client = Client(slack, new FakeTimeProvider(), new TestLogs());

        var result = await client.PostMessageAsync("C111", Hello, null, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal("ratelimited", result.Error);
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("account_inactive")]
    [InlineData("not_authed")]
    public async Task Refused_token_is_not_retried_or_used_again(string error)
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", FakeResponse.Ok($$"""{"ok":false,"error":"{{error}}"}"""));
        var logs = new TestLogs();
        var client = Client(slack, new FakeTimeProvider(), logs);

        var first = await client.PostMessageAsync("C111", Hello, null, CancellationToken.None).WaitAsync(Wait);
        var second = await client.PostEphemeralAsync("C111", "U1", Hello, null, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(error, first.Error);
        Assert.Equal(error, second.Error);
        Assert.Single(slack.ChatCalls());
        Assert.True(client.BotTokenRefused);
        Assert.True(logs.Contains(error));
    }

    [Fact]
    public async Task Ok_false_is_logged_with_its_error_code()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postMessage", FakeResponse.Ok(Fixture.Text("web_api/chat.postMessage_error_too_many_attachments.json")));
        slack.Script("chat.postEphemeral", FakeResponse.Ok(Fixture.Text("web_api/chat.postEphemeral_error_user_not_in_channel.json")));
        var logs = new TestLogs();
        var client = Client(slack, new FakeTimeProvider(), logs);

        var post = await client.PostMessageAsync("C111", Hello, null, CancellationToken.None).WaitAsync(Wait);
        var eph = await client.PostEphemeralAsync("C111", "U1", Hello, null, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal("too_many_attachments", post.Error);
        Assert.Equal("user_not_in_channel", eph.Error);
        Assert.True(logs.Contains("chat.postMessage returned ok:false, error too_many_attachments"));
        Assert.True(logs.Contains("chat.postEphemeral returned ok:false, error user_not_in_channel"));
        Assert.False(client.BotTokenRefused);
    }

    [Fact]
    public async Task Official_ok_responses_and_schema_superset_response_parse()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("chat.postEphemeral", FakeResponse.Ok(Fixture.Text("schema_superset/api_chat.postEphemeral.json")));
        var client = Client(slack, new FakeTimeProvider(), new TestLogs());

        var ok = await client.PostMessageAsync("C111", Hello, "1.1", CancellationToken.None).WaitAsync(Wait);
        var superset = await client.PostEphemeralAsync("C111", "U1", Hello, null, CancellationToken.None).WaitAsync(Wait);

        Assert.True(ok.Ok);
        Assert.Equal("1503435956.000247", ok.GetString("ts"));
        Assert.False(superset.Ok);
        Assert.Equal("0000000000.000000", superset.GetString("message_ts"));
    }

    [Fact]
    public async Task Messages_to_one_channel_are_paced_and_other_channels_are_not_held_up()
    {
        await using var slack = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        slack.Clock = time;
        var client = Client(slack, time, new TestLogs(), o => o.ChannelMessageInterval = TimeSpan.FromSeconds(1));

        await client.PostMessageAsync("C1", Hello, null, CancellationToken.None).WaitAsync(Wait);
        var second = client.PostMessageAsync("C1", Hello, null, CancellationToken.None);
        await client.PostMessageAsync("C2", Hello, null, CancellationToken.None).WaitAsync(Wait);
        Assert.False(second.IsCompleted);
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Str("channel") == "C1");

        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Wait);
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count(c => c.Str("channel") == "C1"));
    }

    [Fact]
    public void Pacer_hands_out_one_slot_per_interval_per_channel()
    {
        var time = new FakeTimeProvider();
        var pacer = new ChannelPacer(time, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve("C2"));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve("C1"));
    }

    [Fact]
    public async Task Requests_carry_the_right_token_for_each_method()
    {
        await using var slack = await FakeSlack.StartAsync();
        var client = Client(slack, new FakeTimeProvider(), new TestLogs());

        await client.OpenConnectionAsync(CancellationToken.None).WaitAsync(Wait);
        await client.AuthTestAsync(CancellationToken.None).WaitAsync(Wait);

        Assert.Equal("Bearer " + SlackTestHost.AppToken, slack.CallsTo("apps.connections.open").Single().Authorization);
        Assert.Equal("Bearer " + SlackTestHost.BotToken, slack.CallsTo("auth.test").Single().Authorization);
    }

    private sealed class SingleClientFactory : IHttpClientFactory
    {
        private static readonly HttpClient Shared = new() { Timeout = TimeSpan.FromSeconds(10) };
        public HttpClient CreateClient(string name) => Shared;
    }
}
