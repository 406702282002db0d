using CaseBot.Core.Hosting;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Discord.Tests.Messages;

/// <summary>Discord questions go through the one question pipeline: registered observers hear of each.</summary>
public sealed class AnswerObserverTests
{
    [Fact]
    public async Task A_mention_and_a_slash_ask_are_reported_to_observers_as_discord_questions()
    {
        var observer = new RecordingObserver();
        await using var rig = await DiscordTestRig.StartAsync(services: s => s.AddSingleton<IAnswerObserver>(observer));
        var (gateway, _) = await rig.ConnectAsync();

        await gateway.SendAsync(Events.Mention(2, "10001", "why was it blocked?"));
        await gateway.SendAsync(Events.Interaction(3, Events.Command("ask", "question", "why was it blocked?")));
        await Wait.UntilAsync(() => observer.Seen.Count == 2);

        Assert.All(observer.Seen, q => Assert.Equal("discord", q.Context.Platform));
        Assert.All(observer.Seen, q => Assert.False(string.IsNullOrEmpty(q.Context.UserId)));
        Assert.Contains(observer.Seen, q => q.Context.UserId == Events.UserId); // the mention's author
        Assert.All(observer.Seen, q => Assert.Equal("why was it blocked?", q.Question));
    }
}
