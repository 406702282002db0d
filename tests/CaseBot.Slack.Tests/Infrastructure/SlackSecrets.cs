namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>The secrets sweep over what a Slack scenario captured: every log line, every metric recorded, every Web API
/// body the bot sent (answers, ephemerals, response_url posts; the Authorization header carries the bot token by
/// design and is left out), every ack. The tokens and the signing secret must appear in none of them.</summary>
internal static class SlackSecrets
{
    public static SecretSweep Sweep(SlackTestHost host, FakeSlack slack, RecordingMetrics metrics, IEnumerable<FakeLink> links) =>
        new SecretSweep(("Slack bot token", SlackTestHost.BotToken), ("Slack app token", SlackTestHost.AppToken),
                ("Slack signing secret", SlackTestHost.SigningSecret))
            .Add("log lines", host.Logs.Lines)
            .Add("metrics", metrics.Export())
            .Add("Web API bodies", slack.Calls.Snapshot().Select(c => c.BodyJson))
            .Add("acks", links.SelectMany(l => l.Acks.Snapshot()).Select(a => a.ToJsonString()));
}
