namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>The secrets sweep over what a Discord scenario captured: every log line, every metric the rig recorded,
/// every REST request body (replies, callbacks, edits) and every gateway frame the bot sent except Identify and
/// Resume, which carry the token by design. The application public key is not a secret.</summary>
internal static class DiscordSecrets
{
    public static SecretSweep Sweep(DiscordTestRig rig) =>
        new SecretSweep(("Discord bot token", DiscordTestRig.Token))
            .Add("log lines", rig.Logs.Entries.Select(e => e.Message))
            .Add("metrics", rig.Metrics.Export())
            .Add("REST bodies", rig.Fake.Requests.Select(r => r.Body))
            .Add("gateway frames", rig.Fake.Connections.SelectMany(c => c.Received).Where(f => (int?)f["op"] is not (2 or 6)).Select(f => f.ToJsonString()));
}
