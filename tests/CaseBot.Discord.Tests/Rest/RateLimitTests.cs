using CaseBot.Core.Hosting;
using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Discord.Tests.Rest;

/// <summary>The REST client against the fake, on a virtual clock: the docs' 429 examples (64.57 s, 1336.57 s) are
/// waited out in virtual time, and every request is stamped with the virtual time it arrived.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string ChannelA = "111", ChannelB = "222";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly LogSink _logs = new();
    private readonly RecordingMetrics _metrics = new();
    private FakeDiscord _fake = null!;
    private DiscordRestClient _rest = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscord.StartAsync(_clock);
        _http = new HttpClient();
        var options = Microsoft.Extensions.Options.Options.Create(new DiscordOptions
        {
            Token = DiscordTestRig.Token, ApplicationId = DiscordTestRig.ApplicationId, ApiBaseUrl = _fake.ApiBaseUrl,
        });
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _rest = new DiscordRestClient(_http, options, _clock, _metrics, factory.CreateLogger<DiscordRestClient>());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(DiscordTestRig.Token, StringComparison.Ordinal));
    }

    private Task<System.Text.Json.JsonElement?> Post(string channel) =>
        _rest.SendAsync(DiscordRoute.CreateMessage(channel), new System.Text.Json.Nodes.JsonObject { ["content"] = "hi" }, CancellationToken.None);

    private static Func<RecordedRequest, bool> To(string channel) => r => r.Path == $"/channels/{channel}/messages";

    [Theory]
    [InlineData("rest/rate_limit_429_user.http.txt", 64.57, 1)]
    [InlineData("rest/rate_limit_429_shared.http.txt", 1336.57, 10)]
    public async Task A_429_is_waited_out_for_retry_after_and_retried(string fixture, double retryAfter, int stepSeconds)
    {
        _fake.RespondOnce(To(ChannelA), HttpFixture.Load(fixture).ToResponse());

        var send = Post(ChannelA);
        await _clock.AdvanceUntilAsync(() => send.IsCompleted, TimeSpan.FromSeconds(stepSeconds));
        await send;

        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(retryAfter),
            $"retried after {(requests[1].At - requests[0].At).TotalSeconds}s");
        Assert.InRange(Assert.Single(_metrics.RateLimitWaits), TimeSpan.FromSeconds(retryAfter - stepSeconds), TimeSpan.FromSeconds(retryAfter));
    }

    [Fact]
    public async Task A_global_429_pauses_every_request_until_it_has_passed()
    {
        _fake.RespondOnce(To(ChannelA), HttpFixture.Load("rest/rate_limit_429_global.http.txt").ToResponse());

        var first = Post(ChannelA);
        await Wait.UntilAsync(() => _metrics.RateLimitWaits.Count == 1); // the retry is waiting out the global pause
        var other = Post(ChannelB); // another bucket, but the global limit covers it too
        await Wait.UntilAsync(() => _metrics.RateLimitWaits.Count == 2); // it is waiting out the global pause too
        Assert.Single(_fake.Requests);
        await _clock.AdvanceUntilAsync(() => first.IsCompleted && other.IsCompleted, TimeSpan.FromSeconds(1));
        await Task.WhenAll(first, other);

        var requests = _fake.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests.Skip(1), r => Assert.True(r.At - requests[0].At >= TimeSpan.FromSeconds(64.57)));
    }

    [Fact]
    public async Task A_global_pause_does_not_hold_interaction_callbacks()
    {
        _fake.RespondOnce(To(ChannelA), HttpFixture.Load("rest/rate_limit_429_global.http.txt").ToResponse());
        var first = Post(ChannelA);
        await Wait.UntilAsync(() => _metrics.RateLimitWaits.Count == 1); // the bot is in a global pause

        // Exempt from the global limit: it goes at once, on a clock that has not moved.
        await _rest.SendAsync(DiscordRoute.InteractionCallback("9001", "tok"), null, CancellationToken.None).WaitAsync(Wait.Default);

        Assert.Contains(_fake.Requests, r => r.Path.EndsWith("/callback", StringComparison.Ordinal));
        Assert.False(first.IsCompleted);
        await _clock.AdvanceUntilAsync(() => first.IsCompleted, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task No_request_goes_into_an_exhausted_bucket_before_its_reset()
    {
        _fake.RespondOnce(To(ChannelA), new FakeResponse(200, "{}",
        [
            new("X-RateLimit-Limit", "5"), new("X-RateLimit-Remaining", "0"),
            new("X-RateLimit-Reset-After", "2.5"), new("X-RateLimit-Bucket", "abcd1234"),
        ]));
        await Post(ChannelA).WaitAsync(Wait.Default);

        var second = Post(ChannelA);
        var elsewhere = Post(ChannelB); // another major parameter: not held up
        await elsewhere.WaitAsync(Wait.Default);
        await Wait.UntilAsync(() => _metrics.RateLimitWaits.Count == 1); // it is waiting for the bucket's reset
        Assert.False(second.IsCompleted);
        await _clock.AdvanceUntilAsync(() => second.IsCompleted, TimeSpan.FromMilliseconds(100));
        await second;

        var toA = _fake.Requests.Where(To(ChannelA)).ToList();
        Assert.Equal(2, toA.Count);
        Assert.True(toA[1].At - toA[0].At >= TimeSpan.FromSeconds(2.5));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Assert.Single(_metrics.RateLimitWaits)); // waited from the headers: no 429 needed
    }

    [Fact]
    public async Task Repeated_429s_give_up_after_a_bounded_number_of_tries_with_a_log_line()
    {
        var limited = HttpFixture.Load("rest/rate_limit_429_user.http.txt").ToResponse();
        for (var i = 0; i < 10; i++) _fake.RespondOnce(To(ChannelA), limited);

        var send = Post(ChannelA);
        await _clock.AdvanceUntilAsync(() => send.IsCompleted, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => send);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(4, _fake.Requests.Count);
        Assert.True(_logs.Contains(LogLevel.Error, "Giving up"));
    }

    [Fact]
    public async Task After_a_401_no_further_request_is_sent()
    {
        _fake.RespondOnce(To(ChannelA), new FakeResponse(401, """{"message": "401: Unauthorized", "code": 0}"""));

        var first = await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelA));
        var second = await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelB));

        Assert.True(first.IsUnauthorized);
        Assert.True(second.IsUnauthorized);
        Assert.Single(_fake.Requests);
        Assert.DoesNotContain(DiscordTestRig.Token, first.Message);
    }

    [Fact]
    public async Task A_403_or_a_400_is_not_retried_and_reports_discords_error_code()
    {
        _fake.RespondOnce(To(ChannelA), new FakeResponse(403, """{"message": "Missing Access", "code": 50001}"""));
        _fake.RespondOnce(To(ChannelB), new FakeResponse(400, Fixture.Text("rest/error_50035_object_error.json")));

        var forbidden = await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelA));
        var invalid = await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelB));

        Assert.Equal(50001, forbidden.DiscordCode);
        Assert.Equal(50035, invalid.DiscordCode);
        Assert.Contains("Invalid Form Body", invalid.Message);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task Idle_buckets_are_forgotten_but_an_exhausted_one_is_kept()
    {
        _fake.RespondOnce(To(ChannelA), new FakeResponse(200, "{}",
            [new("X-RateLimit-Remaining", "0"), new("X-RateLimit-Reset-After", "30"), new("X-RateLimit-Bucket", "hot")]));
        await Post(ChannelA).WaitAsync(Wait.Default);
        for (var i = 0; i < 1005; i++)
            await _rest.SendAsync(DiscordRoute.InteractionCallback(i.ToString(), "t"), null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _rest.SendAsync(DiscordRoute.InteractionCallback("last", "t"), null, CancellationToken.None);
        Assert.InRange(_rest.TrackedBuckets, 2, 100);

        var waits = _metrics.RateLimitWaits.Count;
        var second = Post(ChannelA);
        await Wait.UntilAsync(() => _metrics.RateLimitWaits.Count > waits); // it is waiting for the bucket's reset
        Assert.False(second.IsCompleted); // the exhausted bucket survived the pruning
        await _clock.AdvanceUntilAsync(() => second.IsCompleted, TimeSpan.FromSeconds(1));
        Assert.True(_fake.Requests.Where(To(ChannelA)).Last().At - _fake.Requests.Where(To(ChannelA)).First().At >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Interaction_tokens_in_urls_never_reach_the_logs()
    {
        const string secret = "aW50ZXJhY3Rpb246ODY2ODE4MTk1MDMzMjkyODUx";
        _fake.RespondOnce(r => r.Path.EndsWith("/callback"), HttpFixture.Load("rest/rate_limit_429_user.http.txt").ToResponse());

        var send = _rest.SendAsync(DiscordRoute.InteractionCallback("1", secret), new System.Text.Json.Nodes.JsonObject { ["type"] = 1 },
            CancellationToken.None);
        await _clock.AdvanceUntilAsync(() => send.IsCompleted, TimeSpan.FromSeconds(5));
        await send;

        Assert.Contains(_logs.Entries, e => e.Message.Contains("/interactions/{interaction_id}/{interaction_token}/callback"));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(secret));
    }

    // Issue 11 item 8: stay well under Discord's 10,000 invalid requests per 10 minutes; pause a channel that answered 403.
    [Fact]
    public async Task After_a_403_on_a_channel_nothing_is_sent_there_for_ten_minutes_while_other_channels_carry_on()
    {
        _fake.RespondOnce(r => r.Path == $"/channels/{ChannelA}/messages",
            new FakeResponse(403, """{"message": "Missing Access", "code": 50001}"""));

        await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelA));
        await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelA));
        await Post(ChannelB);
        Assert.Equal(1, _fake.Requests.Count(To(ChannelA)));
        Assert.Equal(1, _fake.Requests.Count(To(ChannelB)));
        Assert.Equal(1, _rest.Guard.Count);

        _clock.Advance(InvalidRequestGuard.ChannelCooldown + TimeSpan.FromSeconds(1));
        await Post(ChannelA);
        Assert.Equal(2, _fake.Requests.Count(To(ChannelA)));
    }

    [Fact]
    public void Once_the_budget_of_invalid_responses_is_spent_nothing_is_sent_until_the_window_slides()
    {
        var clock = new FakeTimeProvider();
        var guard = new InvalidRequestGuard(clock, budget: 3);
        var route = DiscordRoute.CreateMessage(ChannelA);

        guard.Record(route, 429, "shared"); // shared-scope 429s do not count
        guard.Record(route, 404, null);     // nor other errors
        guard.Record(route, 401, null);
        guard.Record(DiscordRoute.GetGatewayBot(), 429, "user");
        Assert.Null(guard.Refusal(DiscordRoute.GetGatewayBot()));
        guard.Record(DiscordRoute.GetGatewayBot(), 429, "global");

        Assert.NotNull(guard.Refusal(DiscordRoute.GetGatewayBot()));
        clock.Advance(InvalidRequestGuard.Window);
        Assert.Null(guard.Refusal(DiscordRoute.GetGatewayBot()));
    }
}
