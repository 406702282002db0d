using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Slack.Formatting;
using CaseBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Events;

/// <summary>Renders what the <see cref="QuestionPipeline"/> decided and posts it. Shared by mentions, DMs and <c>/casebot</c>.</summary>
internal sealed class SlackResponder(
    QuestionPipeline pipeline,
    IOptions<BotProfileOptions> profile,
    SlackAnswerFormatter formatter,
    SlackWebApiClient api,
    ILogger<SlackResponder> log)
{
    /// <summary>The usage help, from the configured profile (no case is baked into the code).</summary>
    public static string Usage(BotProfileOptions profile) =>
        $"Ask me about {profile.Description}, e.g. `/casebot {profile.ExampleQuestion}` or mention me with a question. `/casebot help` shows this.";

    public string UsageText => Usage(profile.Value);

    /// <summary>Where and how to reply.</summary>
    /// <param name="Channel">Channel or DM id.</param>
    /// <param name="User">The asker.</param>
    /// <param name="ThreadTs">Thread to reply in (mentions), or null.</param>
    /// <param name="IsDirect">A DM: refusals and usage help go in the DM itself, not as ephemeral messages.</param>
    /// <param name="ShowAsker">Slash commands: the channel did not see the question, so the reply shows it.</param>
    /// <param name="ResponseUrl">Slash commands: where to answer, which works where the bot is not a member.</param>
    /// <param name="QuestionId">The question's event id, carried in the answer's metadata (null when there is none).</param>
    public sealed record Target(string Channel, string User, string? ThreadTs, bool IsDirect, bool ShowAsker, string? ResponseUrl = null,
        string? QuestionId = null);

    /// <summary>The conversation a thread is: its channel and root <c>ts</c> (a <c>ts</c> is unique only per channel).</summary>
    public static string ThreadKey(string channel, string threadTs) => $"{channel}:{threadTs}";

    /// <summary>True when CaseBot answered in that thread recently: a message there is for it without a mention.</summary>
    public bool IsConversation(string channel, string threadTs) => pipeline.IsConversation(ThreadKey(channel, threadTs));

    public async Task AnswerAsync(string question, Target to, CancellationToken ct)
    {
        var thread = to.ThreadTs is { Length: > 0 } ts ? ThreadKey(to.Channel, ts) : null;
        var asked = await pipeline.AskAsync(question,
            new AskContext(SlackWebApiClient.Platform, to.Channel, to.User, thread), ct);
        if (asked.Outcome == QuestionOutcome.Refused)
        {
            await ReplyQuietlyAsync(to, asked.Refusal ?? "Not now, please try again later.", ct);
            return;
        }
        if (asked.Outcome == QuestionOutcome.UsageError)
        {
            await ReplyQuietlyAsync(to, UsageText, ct);
            return;
        }

        var answer = asked.Answer!;
        var message = formatter.Format(answer, to.ShowAsker ? to.User : null);
        // A slash command answers through its response_url (in the channel): chat.postMessage fails in channels the bot
        // was not invited to and in DMs between people. chat.postMessage stays the fallback.
        if (to.ResponseUrl is { } responseUrl && await api.RespondAsync(responseUrl, message, inChannel: true, ct))
        {
            log.LogInformation("Slack answer in {Channel} via response_url: answered={Answered}", to.Channel, answer.Answered);
            return;
        }
        var result = await api.PostMessageAsync(to.Channel, message, to.ThreadTs, ct, to.QuestionId);
        if (!result.Ok && result.Error is "not_in_channel" or "channel_not_found")
            await api.PostEphemeralAsync(to.Channel, to.User,
                SlackAnswerFormatter.Plain($"I can't post in this channel. Invite me with /invite @{profile.Value.Name}, or ask me in a DM."), null, ct);
        log.LogInformation("Slack answer in {Channel}: answered={Answered}, posted={Posted} ({Error})",
            to.Channel, answer.Answered, result.Ok, result.Error ?? "ok");
    }

    /// <summary>Text only the asker should see: ephemeral in channels, a plain reply in a DM.</summary>
    public Task ReplyQuietlyAsync(Target to, string text, CancellationToken ct) =>
        to.IsDirect
            ? api.PostMessageAsync(to.Channel, SlackAnswerFormatter.Plain(text), to.ThreadTs, ct, to.QuestionId)
            : api.PostEphemeralAsync(to.Channel, to.User, SlackAnswerFormatter.Plain(text), to.ThreadTs, ct);
}
