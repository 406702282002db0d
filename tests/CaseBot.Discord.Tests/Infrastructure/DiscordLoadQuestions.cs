using System.Text.Json.Nodes;

namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>One question of a Discord load run: the id its answer is found by (<see cref="DiscordAnswers.QuestionOf"/>),
/// the gateway frame that asks it, and for an <c>/ask</c> its interaction token (edits name only the token).</summary>
internal sealed record DiscordLoadQuestion(string Id, JsonObject Frame, string? InteractionToken);

/// <summary>
/// The seeded question mix of a Discord load run (<c>DiscordLoadTests</c>, and Discord's share of the serve host's
/// <c>ServeLoadTests</c>): mentions spread over channels, and one question in three an <c>/ask</c> command. Draws from
/// the caller's random in a fixed order — question, channel, kind — so a seed gives the same run everywhere.
/// </summary>
internal static class DiscordLoadQuestions
{
    private const long FirstChannel = 290926798999357250L;

    /// <summary>Question <paramref name="n"/> (1-based) of a run over <paramref name="channels"/> channels, as the
    /// gateway frame numbered <paramref name="sequence"/>. Mention ids are 1,000,000 + n, <c>/ask</c> ids 2,000,000 + n.</summary>
    public static DiscordLoadQuestion Next(Random rng, int n, long sequence, int channels)
    {
        var question = $"{ReliabilityRun.LoadQuestions[rng.Next(ReliabilityRun.LoadQuestions.Length)]} #{n}";
        var channel = (FirstChannel + rng.Next(channels)).ToString();
        if (rng.Next(3) == 0)
        {
            var id = (2_000_000 + n).ToString();
            var token = $"tok{n}";
            var command = Events.Command("ask", "question", question, id, token);
            command["channel_id"] = channel;
            return new DiscordLoadQuestion(id, Events.Interaction(sequence, command), token);
        }
        var mentionId = (1_000_000 + n).ToString();
        return new DiscordLoadQuestion(mentionId, Events.Dispatch("MESSAGE_CREATE", sequence, Events.MentionMessage(mentionId, question, Events.GuildId, channel)), null);
    }
}
