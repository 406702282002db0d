namespace CaseBot.Discord;

/// <summary>The platform name Discord questions carry in logs, metrics and <c>AskContext</c>.</summary>
internal static class DiscordPlatform
{
    public const string Name = "discord";
}
