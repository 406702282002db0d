using CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Slack.Tests.WebApi;

/// <summary>Issue 11 item 6: errors no retry can cure stop the call with a clear line, like <c>invalid_auth</c>.</summary>
public sealed class PermanentErrorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("auth.test", "missing_scope", "OAuth & Permissions")]
    [InlineData("apps.connections.open", "not_allowed_token_type", "xapp-")]
    public async Task A_permanent_error_stops_the_adapter_without_retrying_and_says_what_to_change(string method, string error, string fix)
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script(method, Enumerable.Range(0, 50).Select(_ => new FakeResponse(200, $$"""{"ok":false,"error":"{{error}}"}""")).ToArray());
        await using var host = await SlackTestHost.StartAsync(slack, new FakeCaseBot());

        await host.Execution.WaitAsync(Wait); // the adapter gave up for good

        Assert.Single(slack.CallsTo(method));
        Assert.True(host.Logs.Contains(fix), string.Join("\n", host.Logs.Lines));
        Assert.False(host.Adapter.IsConnected);
    }
}
