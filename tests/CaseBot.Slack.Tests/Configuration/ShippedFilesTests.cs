using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Slack.Tests.Configuration;

/// <summary>What a self-hoster pastes and runs matches what the adapter needs.</summary>
public sealed class ShippedFilesTests
{
    [Fact]
    public void Manifest_turns_on_socket_mode_with_the_scopes_events_and_command_the_adapter_uses()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "deploy", "slack-app-manifest.yml"))
            .Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();

        foreach (var scope in new[] { "app_mentions:read", "chat:write", "im:history", "commands" })
            Assert.Contains("- " + scope, lines);
        Assert.Contains("- app_mention", lines);
        Assert.Contains("- message.im", lines);
        Assert.Contains("- command: /casebot", lines);
        Assert.Contains("socket_mode_enabled: true", lines);
        Assert.Contains("messages_tab_enabled: true", lines);
    }

    [Fact]
    public void Docs_describe_every_Slack_setting()
    {
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "slack.md"));
        var settings = typeof(Options.SlackOptions).GetProperties()
            .Where(p => p.CanWrite)
            .Select(p => "Slack__" + p.Name);

        Assert.All(settings, s => Assert.Contains(s, docs));
    }
}
