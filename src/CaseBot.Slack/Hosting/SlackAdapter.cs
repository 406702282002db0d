using CaseBot.Core.Hosting;
using CaseBot.Slack.Options;
using CaseBot.Slack.SocketMode;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Hosting;

/// <summary>The Slack adapter as the host sees it (for <c>/readyz</c>).</summary>
internal sealed class SlackAdapter(IServiceProvider services, IOptions<SlackOptions> options, SlackWebApiClient api) : IChatAdapter
{
    private volatile bool _authenticated;

    public string Platform => SlackWebApiClient.Platform;

    /// <summary>Socket Mode: a link is up. HTTP mode: the bot token was accepted and has not been refused since.</summary>
    public bool IsConnected =>
        _authenticated && !api.BotTokenRefused &&
        (options.Value.EffectiveMode == SlackMode.Http || services.GetRequiredService<SocketModeClient>().IsConnected);

    internal void MarkAuthenticated() => _authenticated = true;
}
