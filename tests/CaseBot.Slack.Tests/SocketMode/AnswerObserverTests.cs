using CaseBot.Core.Hosting;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>Slack questions go through the one question pipeline: registered observers hear of each, with its thread.</summary>
public sealed class AnswerObserverTests
{
    [Fact]
    public async Task A_mention_is_reported_to_observers_with_its_channel_user_and_thread()
    {
        await using var slack = await FakeSlack.StartAsync();
        var observer = new RecordingObserver();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot(),
            services: s => s.AddSingleton<IAnswerObserver>(observer));
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Mention("env-1", "Ev1", "why was the contract blocked?", ts: "1.1"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(TimeSpan.FromSeconds(10));

        var seen = Assert.Single(observer.Seen);
        Assert.Equal(new AskContext("slack", "C111", seen.Context.UserId, "C111:1.1"), seen.Context);
        Assert.False(string.IsNullOrEmpty(seen.Context.UserId));
        Assert.Equal("why was the contract blocked?", seen.Question);
    }
}
