using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseBot.Core;
using CaseBot.Core.Feedback;
using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Discord.Formatting;
using CaseBot.Discord.Gateway;
using CaseBot.Discord.Options;
using CaseBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Interactions;

/// <summary>
/// Answers <c>/ask</c>, <c>/source</c> and <c>/reindex</c>. The first response goes out within Discord's 3-second
/// window: the answer itself (type 4) when it is ready within <see cref="DiscordOptions.DeferAfter"/>, else a
/// deferral (type 5) followed by an edit of the original response. Refusals and usage errors are ephemeral.
/// Answers carry 👍 / 👎 / "Why this answer?" buttons; their clicks arrive as <c>MESSAGE_COMPONENT</c>
/// interactions and are answered within the same window, to the clicker only (ephemeral).
/// </summary>
internal sealed class InteractionHandler(
    IOptions<DiscordOptions> options,
    QuestionPipeline pipeline,
    IOptions<BotProfileOptions> profile,
    ICaseBot bot,
    DiscordRestClient rest,
    TimeProvider time,
    RecentAnswers recent,
    ILogger<InteractionHandler> logger,
    IFeedbackSink? votes = null)
{
    private const int PingType = 1, ApplicationCommandType = 2, MessageComponentType = 3;
    private const string Failure = "Sorry, something went wrong answering that. Please try again later.";
    private readonly DiscordOptions _options = options.Value;

    public async Task HandleAsync(DiscordInteraction interaction, IInteractionResponder responder, CancellationToken ct)
    {
        var type = interaction.Type;
        if (type == PingType)
        {
            await responder.RespondAsync(DiscordMessages.Pong(), ct).ConfigureAwait(false);
            return;
        }
        if (type == MessageComponentType)
        {
            await ComponentAsync(interaction, responder, ct).ConfigureAwait(false);
            return;
        }
        if (type != ApplicationCommandType)
        {
            logger.LogDebug("Ignoring interaction of type {Type}.", type);
            return;
        }

        if (interaction.Token is not { } token)
        {
            logger.LogWarning("Ignoring an application command without a token.");
            return;
        }
        var name = interaction.Data?.Name;
        var user = UserOf(interaction);
        var channelId = interaction.ChannelId;
        switch (name)
        {
            case SlashCommands.Ask:
                await AskAsync(interaction, responder, token, user.Id, channelId, ct).ConfigureAwait(false);
                break;
            case SlashCommands.Source:
                await SourceAsync(interaction, responder, ct).ConfigureAwait(false);
                break;
            case SlashCommands.Reindex:
                await ReindexAsync(interaction, responder, token, user, ct).ConfigureAwait(false);
                break;
            default:
                await responder.RespondAsync(DiscordMessages.ChannelMessage("I don't know that command.", ephemeral: true), ct).ConfigureAwait(false);
                break;
        }
    }

    private async Task AskAsync(DiscordInteraction interaction, IInteractionResponder responder, string token, string userId, string? channelId,
        CancellationToken ct)
    {
        var question = Option(interaction, SlashCommands.QuestionOption) ?? "";
        var answerTask = pipeline.AskAsync(question, new AskContext(DiscordPlatform.Name, channelId, userId), ct);
        var deferral = Task.Delay(_options.DeferAfter, time, ct);
        if (await Task.WhenAny(answerTask, deferral).ConfigureAwait(false) == answerTask)
        {
            string content;
            bool ephemeral;
            string? key = null;
            try
            {
                var result = await answerTask.ConfigureAwait(false);
                (content, ephemeral) = (DiscordAnswerFormatter.Render(result, profile.Value), result.Outcome is QuestionOutcome.Refused or QuestionOutcome.UsageError);
                key = DiscordAnswerFormatter.FeedbackKey(result);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Answering /ask failed.");
                (content, ephemeral) = (Failure, true);
            }
            var callback = DiscordMessages.ChannelMessage(content, ephemeral);
            ((JsonObject)callback["data"]!).WithFeedback(key);
            await responder.RespondAsync(callback, ct).ConfigureAwait(false);
            return;
        }

        logger.LogInformation("Answer not ready within {Seconds:F1}s: deferring the /ask response.", _options.DeferAfter.TotalSeconds);
        try
        {
            await responder.RespondAsync(DiscordMessages.Deferred(), ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // No reply in time (or the connection broke): Discord may well have taken the deferral. Edit the answer in
            // anyway; without the deferral the edit fails on its own, but giving up here leaves the asker on "thinking…".
            logger.LogWarning("The /ask deferral got no clear reply ({Error}); editing the answer in anyway.", ex.Message);
        }
        string late;
        string? lateKey = null;
        try
        {
            var result = await answerTask.ConfigureAwait(false);
            late = DiscordAnswerFormatter.Render(result, profile.Value);
            lateKey = DiscordAnswerFormatter.FeedbackKey(result);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Answering a deferred /ask failed.");
            late = Failure;
        }
        await rest.SendAsync(DiscordRoute.EditOriginalResponse(_options.ApplicationId!, token), DiscordMessages.Edit(late).WithFeedback(lateKey), ct)
            .ConfigureAwait(false);
    }

    /// <summary>A click on a button under an answer: a vote (one per member per answer, a second click changes it) or
    /// "Why this answer?". Both are answered to the clicker only, within the 3-second window (a slow vote store
    /// gets an ephemeral deferral and an edit).</summary>
    private async Task ComponentAsync(DiscordInteraction interaction, IInteractionResponder responder, CancellationToken ct)
    {
        if (!FeedbackButtons.TryParse(interaction.Data?.CustomId, out var action, out var key))
        {
            logger.LogDebug("Ignoring a component interaction CaseBot did not make: {CustomId}", interaction.Data?.CustomId);
            await responder.RespondAsync(DiscordMessages.ChannelMessage("That button is not one of mine.", ephemeral: true), ct).ConfigureAwait(false);
            return;
        }
        if (action == FeedbackAction.Why)
        {
            var text = recent.Find(key) is { } answer ? WhyText.For(answer) : WhyText.Expired;
            var content = DiscordMarkdown.Truncate(DiscordMarkdown.Escape(text), DiscordAnswerFormatter.MaxContentLength);
            await responder.RespondAsync(DiscordMessages.ChannelMessage(content, ephemeral: true), ct).ConfigureAwait(false);
            return;
        }
        if (votes is null || interaction.Token is not { } token)
        {
            await responder.RespondAsync(DiscordMessages.ChannelMessage("Votes are not recorded here.", ephemeral: true), ct).ConfigureAwait(false);
            return;
        }

        var value = action == FeedbackAction.Up ? VoteValue.Up : VoteValue.Down;
        var vote = votes.VoteAsync(new VoteCast(DiscordPlatform.Name, key, UserOf(interaction).Id, value, interaction.ChannelId), ct);
        var deferral = Task.Delay(_options.DeferAfter, time, ct);
        if (await Task.WhenAny(vote, deferral).ConfigureAwait(false) == vote)
        {
            await responder.RespondAsync(DiscordMessages.ChannelMessage(await VoteTextAsync(vote, value).ConfigureAwait(false), ephemeral: true), ct)
                .ConfigureAwait(false);
            return;
        }
        await responder.RespondAsync(DiscordMessages.Deferred(ephemeral: true), ct).ConfigureAwait(false);
        await EditOriginalAsync(token, await VoteTextAsync(vote, value).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    private async Task<string> VoteTextAsync(Task<VoteOutcome> vote, VoteValue value)
    {
        try
        {
            var outcome = await vote.ConfigureAwait(false);
            return $"Thanks: your {(value == VoteValue.Up ? "👍" : "👎")} is recorded ({outcome.Up} 👍, {outcome.Down} 👎). Click the other button to change it.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Recording a Discord vote failed.");
            return "Sorry, your vote could not be recorded. Please try again later.";
        }
    }

    private async Task SourceAsync(DiscordInteraction interaction, IInteractionResponder responder, CancellationToken ct)
    {
        var id = Option(interaction, SlashCommands.IdOption)?.Trim().Trim('[', ']');
        var doc = string.IsNullOrEmpty(id) ? null : bot.FindDocument(id);
        var response = doc is null
            ? DiscordMessages.ChannelMessage(DiscordAnswerFormatter.FormatUnknownSource(id ?? "", bot.Documents), ephemeral: true)
            : DiscordMessages.ChannelMessage(DiscordAnswerFormatter.FormatSource(doc));
        await responder.RespondAsync(response, ct).ConfigureAwait(false);
    }

    private async Task ReindexAsync(DiscordInteraction interaction, IInteractionResponder responder, string token, (string Id, string Name) user,
        CancellationToken ct)
    {
        // default_member_permissions only hides the command; server admins can grant it to anyone, so check again.
        if (!HasManageGuild(interaction))
        {
            logger.LogInformation("Refused /reindex from user {UserId}: no Manage Server permission.", user.Id);
            await responder.RespondAsync(DiscordMessages.ChannelMessage("Only moderators (Manage Server) can reindex.", ephemeral: true), ct)
                .ConfigureAwait(false);
            return;
        }
        await responder.RespondAsync(DiscordMessages.Deferred(ephemeral: true), ct).ConfigureAwait(false);
        string content;
        try
        {
            // The engine counts the reindex in the metrics (whoever asked for it): counting here too would double it.
            var result = await bot.ReindexAsync($"discord:{user.Name} ({user.Id})", ct).ConfigureAwait(false);
            content = DiscordAnswerFormatter.FormatReindex(result);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Reindex requested from Discord failed.");
            content = Failure;
        }
        await EditOriginalAsync(token, content, ct).ConfigureAwait(false);
    }

    private async Task EditOriginalAsync(string token, string content, CancellationToken ct) =>
        await rest.SendAsync(DiscordRoute.EditOriginalResponse(_options.ApplicationId!, token), DiscordMessages.Edit(content), ct)
            .ConfigureAwait(false);

    internal static bool HasManageGuild(DiscordInteraction interaction) =>
        ulong.TryParse(interaction.Member?.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var permissions)
        && (permissions & SlashCommands.ManageGuildPermission) != 0;

    private static (string Id, string Name) UserOf(DiscordInteraction interaction)
    {
        var user = interaction.Member?.User ?? interaction.User;
        var id = user?.Id ?? "unknown";
        return (id, user?.Username ?? id);
    }

    private static string? Option(DiscordInteraction interaction, string name)
    {
        foreach (var option in interaction.Data?.Options ?? [])
            if (option?.Name == name && option.Value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
                return option.Value.ValueKind == JsonValueKind.String ? option.Value.GetString() : option.Value.ToString();
        return null;
    }
}
