namespace CaseBot.Slack.Events;

/// <summary>Who CaseBot is in the workspace (from <c>auth.test</c>), so it can ignore its own messages.</summary>
internal sealed class SlackIdentity
{
    public volatile string? BotUserId;
    public volatile string? BotId;
}
