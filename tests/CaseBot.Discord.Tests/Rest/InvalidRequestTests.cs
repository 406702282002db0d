using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CaseBot.Discord.Tests.Rest;

/// <summary>Issue 11 item 8: stay well under Discord's 10,000 invalid requests per 10 minutes; stop trying a channel
/// that answered 403 for a while.</summary>
public sealed class InvalidRequestTests : IAsyncLifetime
{
    private const string ChannelA = "111", ChannelB = "222";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
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
        _rest = new DiscordRestClient(_http, options, _clock, new RecordingMetrics(), NullLogger<DiscordRestClient>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    private Task<System.Text.Json.JsonElement?> Post(string channel) =>
        _rest.SendAsync(DiscordRoute.CreateMessage(channel), new System.Text.Json.Nodes.JsonObject { ["content"] = "hi" }, CancellationToken.None);

    private int RequestsTo(string channel) => _fake.Requests.Count(r => r.Path == $"/channels/{channel}/messages");

    [Fact]
    public async Task After_a_403_on_a_channel_nothing_is_sent_there_for_ten_minutes_while_other_channels_carry_on()
    {
        _fake.RespondOnce(r => r.Path == $"/channels/{ChannelA}/messages",
            new FakeResponse(403, """{"message": "Missing Access", "code": 50001}"""));

        await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelA));
        await Assert.ThrowsAsync<DiscordRestException>(() => Post(ChannelA));
        await Post(ChannelB);
        Assert.Equal(1, RequestsTo(ChannelA));
        Assert.Equal(1, RequestsTo(ChannelB));
        Assert.Equal(1, _rest.Guard.Count);

        _clock.Advance(InvalidRequestGuard.ChannelCooldown + TimeSpan.FromSeconds(1));
        await Post(ChannelA);
        Assert.Equal(2, RequestsTo(ChannelA));
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
