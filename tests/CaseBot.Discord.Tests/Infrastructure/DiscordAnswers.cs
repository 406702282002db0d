namespace CaseBot.Discord.Tests.Infrastructure;

/// <summary>Which question a REST request answers, as Discord would show it to the asker: a reply referencing the
/// asker's message, an interaction's type 4 callback, or the edit of a deferred interaction's original response.</summary>
internal static class DiscordAnswers
{
    /// <summary>The message or interaction id <paramref name="request"/> answers, or null when it answers nothing.</summary>
    /// <param name="interactionOfToken">The interaction id of an interaction token (edits name only the token).</param>
    public static string? QuestionOf(RecordedRequest request, Func<string, string?> interactionOfToken)
    {
        if (request.Method == "POST" && request.Path.StartsWith("/channels/", StringComparison.Ordinal))
            return (string?)request.Json?["message_reference"]?["message_id"];
        if (request.Path.StartsWith("/interactions/", StringComparison.Ordinal))
            return (int?)request.Json?["type"] == 4 ? request.Path.Split('/')[2] : null;
        if (request.Method == "PATCH" && request.Path.Split('/') is [_, "webhooks", _, var token, ..])
            return interactionOfToken(token);
        return null;
    }

    /// <summary>Answers the platform accepted (2xx), per question id.</summary>
    public static Dictionary<string, int> Count(IEnumerable<(RecordedRequest Request, int Status)> served, Func<string, string?> interactionOfToken)
    {
        var counts = new Dictionary<string, int>();
        foreach (var (request, status) in served)
            if (status is >= 200 and < 300 && QuestionOf(request, interactionOfToken) is { } id)
                counts[id] = counts.GetValueOrDefault(id) + 1;
        return counts;
    }
}
