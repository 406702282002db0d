using CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Slack.Tests.SocketMode;

/// <summary>Issue 11 item 3: <c>/casebot</c> answers through the command's response_url (works where the bot is not a
/// member), with chat.postMessage as the fallback.</summary>
public sealed class SlashResponseUrlTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string ResponseUrl(FakeSlack slack, string id) => slack.ApiBaseUrl.Replace("/api/", "/response/" + id);

    [Fact]
    public async Task A_slash_question_is_answered_in_the_channel_through_its_response_url()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "why was the contract blocked?", responseUrl: ResponseUrl(slack, "r1")));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        var answer = Assert.Single(slack.CallsTo("response_url:r1"));
        Assert.Equal("in_channel", answer.Str("response_type"));
        Assert.Contains("[004]", answer.BlocksJson);
        Assert.True(string.IsNullOrEmpty(answer.Authorization)); // the URL is the credential: no token sent
        Assert.Empty(slack.ChatCalls());
    }

    [Fact]
    public async Task When_the_response_url_fails_the_answer_falls_back_to_chat_postMessage()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("response_url:r2", new FakeResponse(404, "no_service"));
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "why was the contract blocked?", responseUrl: ResponseUrl(slack, "r2")));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Single(slack.CallsTo("response_url:r2"));
        Assert.Contains("[004]", Assert.Single(slack.CallsTo("chat.postMessage")).BlocksJson);
    }

    [Fact]
    public async Task A_response_url_outside_Slack_is_never_called()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());
        var link = await slack.NextLinkAsync();

        await link.SendAsync(Fixture.Slash("env-1", "why was the contract blocked?", responseUrl: "http://169.254.169.254/latest/meta-data"));
        await host.Queue.WaitForCompletedAsync(1).WaitAsync(Wait);

        Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.True(host.Logs.Contains("not a Slack URL"));
    }
}
