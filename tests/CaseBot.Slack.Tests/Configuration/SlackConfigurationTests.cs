using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Slack.Http;
using CaseBot.Slack.Options;
using CaseBot.Slack.SocketMode;
using CaseBot.Slack.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Tests.Configuration;

public sealed class SlackConfigurationTests
{
    private static (bool Added, ServiceCollection Services) Add(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ICaseBot>(new FakeCaseBot());
        return (services.AddSlackAdapter(config), services);
    }

    [Fact]
    public void Without_tokens_nothing_is_registered()
    {
        var (added, services) = Add(new() { ["Slack:BotToken"] = "xoxb-only-bot" });

        Assert.False(added);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IChatAdapter) || d.ServiceType == typeof(IHostedService));
        Assert.False(Add(new() { ["Slack:AppToken"] = "xapp-only", ["Slack:SigningSecret"] = "s" }).Added);
        Assert.False(Add(new() { ["Slack:BotToken"] = " ", ["Slack:AppToken"] = "xapp-1" }).Added);
    }

    [Fact]
    public void Socket_mode_registers_adapter_hosted_service_and_options_from_Slack_section()
    {
        var (added, services) = Add(new()
        {
            ["Slack:AppToken"] = "xapp-1-a", ["Slack:BotToken"] = "xoxb-b", ["Slack:Moderators"] = "U0MOD1, U0MOD2;U0MOD3",
            ["Slack:ApiBaseUrl"] = "http://127.0.0.1:9/api",
        });

        Assert.True(added);
        using var sp = services.BuildServiceProvider();
        var adapter = Assert.Single(sp.GetServices<IChatAdapter>());
        Assert.Equal("slack", adapter.Platform);
        Assert.False(adapter.IsConnected);
        Assert.Single(sp.GetServices<IHostedService>());
        var o = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
        Assert.Equal(SlackMode.SocketMode, o.EffectiveMode);
        Assert.Equal(["U0MOD1", "U0MOD2", "U0MOD3"], o.Moderators);
        Assert.True(o.IsModerator("U0MOD3"));
        Assert.False(o.IsModerator("U0MOD4"));
    }

    [Fact]
    public void Bare_SLACK_variables_are_accepted_and_HTTP_mode_is_chosen_without_an_app_token()
    {
        var (added, services) = Add(new() { ["SLACK_BOT_TOKEN"] = "xoxb-b", ["SLACK_SIGNING_SECRET"] = "secret" });

        Assert.True(added);
        using var sp = services.BuildServiceProvider();
        var o = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
        Assert.Equal(SlackMode.Http, o.EffectiveMode);
        Assert.Equal("xoxb-b", o.BotToken);
        Assert.Equal("secret", o.SigningSecret);
        Assert.NotNull(sp.GetRequiredService<ISlackHttpEndpoint>());
    }

    [Fact]
    public void Moderators_bind_from_an_array_too()
    {
        var (_, services) = Add(new()
        {
            ["SLACK_APP_TOKEN"] = "xapp-1", ["SLACK_BOT_TOKEN"] = "xoxb-1",
            ["Slack:Moderators:0"] = "U0AAA", ["Slack:Moderators:1"] = "W0BBB",
        });
        using var sp = services.BuildServiceProvider();

        Assert.Equal(["U0AAA", "W0BBB"], sp.GetRequiredService<IOptions<SlackOptions>>().Value.Moderators);
    }

    [Fact]
    public async Task Bad_settings_fail_at_start_with_clear_messages_and_no_secrets()
    {
        var (_, services) = Add(new()
        {
            ["Slack:AppToken"] = "xoxp-wrong-kind-of-token-SECRET1", ["Slack:BotToken"] = "xoxp-user-token-SECRET2",
            ["Slack:Moderators"] = "alice", ["Slack:ApiBaseUrl"] = "not a url", ["Slack:PingInterval"] = "00:00:00",
        });
        await using var sp = services.BuildServiceProvider();
        var startup = sp.GetRequiredService<IStartupValidator>();

        var ex = Assert.Throws<OptionsValidationException>(startup.Validate);

        var message = string.Join("\n", ex.Failures);
        Assert.Contains("Slack:BotToken must be a bot token starting with 'xoxb-'", message);
        Assert.Contains("Slack:AppToken must be an app-level token starting with 'xapp-'", message);
        Assert.Contains("Slack:Moderators entry 'alice'", message);
        Assert.Contains("Slack:ApiBaseUrl", message);
        Assert.Contains("Slack:PingInterval", message);
        Assert.DoesNotContain("SECRET", message);
    }

    [Fact]
    public void Http_mode_without_signing_secret_is_refused()
    {
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { BotToken = "xoxb-1", Mode = SlackMode.Http });

        Assert.True(result.Failed);
        Assert.Contains("Slack:SigningSecret is required", result.FailureMessage);
    }

    [Fact]
    public void Options_ToString_never_shows_secrets()
    {
        var o = new SlackOptions { AppToken = "xapp-SECRET-A", BotToken = "xoxb-SECRET-B", SigningSecret = "SECRET-C" };

        Assert.DoesNotContain("SECRET", o.ToString());
        Assert.Contains("botToken=(set)", o.ToString());
    }

    [Fact]
    public void Keep_alive_pings_and_pong_timeout_come_from_options()
    {
        using var ws = new System.Net.WebSockets.ClientWebSocket();
        ClientWebSocketTransport.ConfigureKeepAlive(ws.Options,
            new SlackOptions { PingInterval = TimeSpan.FromSeconds(7), PongTimeout = TimeSpan.FromSeconds(3) });

        Assert.Equal(TimeSpan.FromSeconds(7), ws.Options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), ws.Options.KeepAliveTimeout);
    }
}
