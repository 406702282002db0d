using CaseBot.Slack.Tests.Infrastructure;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaseBot.Slack.Tests.WebApi;

/// <summary>Issue 11 item 1: an HttpClient timeout from a slow Slack API is a transient failure, never a crash of the host.</summary>
public sealed class SlowPlatformTests
{
    [Fact]
    public async Task A_timeout_at_auth_test_is_retried_with_backoff_and_the_host_keeps_running()
    {
        await using var slack = await FakeSlack.StartAsync();
        var timeouts = new TimeoutOnce.State(r => r.RequestUri!.AbsolutePath.EndsWith("/auth.test", StringComparison.Ordinal));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(), services: s =>
            s.AddHttpClient(SlackWebApiClient.HttpClientName).AddHttpMessageHandler(() => new TimeoutOnce(timeouts)));

        await host.WaitConnectedAsync();

        Assert.Equal(1, timeouts.TimedOut);
        Assert.Single(slack.CallsTo("auth.test")); // the timed-out call never reached Slack; the retry did
        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.True(host.Logs.Contains("auth.test got no answer in time"));
    }
}
