using System.Text.Json.Nodes;

namespace CaseBot.Slack.Tests.Infrastructure;

/// <summary>One question of a Slack load run: the key its answer is found by (<see cref="SlackLoadQuestions.QuestionOf"/>)
/// and the Socket Mode envelope that asks it.</summary>
internal sealed record SlackLoadQuestion(string Key, JsonObject Envelope);

/// <summary>
/// The seeded question mix of a Slack load run (<c>SlackLoadTests</c>, and Slack's share of the serve host's
/// <c>ServeLoadTests</c>): app_mentions spread over channels and users, and one question in three a <c>/casebot</c>
/// command answering through its response_url. Draws from the caller's random in a fixed order — question, channel,
/// user, kind — so a seed gives the same run everywhere.
/// </summary>
internal static class SlackLoadQuestions
{
    private const string SlashPrefix = "slash";
    private const string ResponseUrlMethod = "response_url:";

    /// <summary>Question <paramref name="n"/> (1-based) of a run over <paramref name="channels"/> channels.</summary>
    /// <param name="responseBase">The fake's response_url base (<see cref="ResponseBase"/>).</param>
    public static SlackLoadQuestion Next(Random rng, int n, int channels, string responseBase)
    {
        var question = $"{ReliabilityRun.LoadQuestions[rng.Next(ReliabilityRun.LoadQuestions.Length)]} #{n}";
        var channel = $"C{rng.Next(channels):000}";
        var user = $"U{1000 + rng.Next(500)}"; // never U111, CaseBot itself
        if (rng.Next(3) == 0)
        {
            var key = $"{SlashPrefix}{n}";
            return new SlackLoadQuestion(key, Fixture.Slash($"env-{n}", question, user, channel, responseBase + key));
        }
        var ts = $"{1_700_000_000 + n}.000100";
        var envelope = Fixture.Mention($"env-{n}", $"Ev{n}", question, ts);
        var ev = envelope["payload"]!["event"]!.AsObject();
        ev["channel"] = channel;
        ev["user"] = user;
        return new SlackLoadQuestion(ts, envelope);
    }

    /// <summary>The base of the response_urls <paramref name="slack"/> serves (a question's key is appended).</summary>
    public static string ResponseBase(FakeSlack slack) => slack.ApiBaseUrl.Replace("/api/", "/response/", StringComparison.Ordinal);

    /// <summary>The key of the question <paramref name="call"/> answers: a response_url post's id, or the mention's
    /// <c>ts</c> the answer is threaded under; null when it answers none.</summary>
    public static string? QuestionOf(ApiCall call) =>
        call.Method.StartsWith(ResponseUrlMethod, StringComparison.Ordinal) ? call.Method[ResponseUrlMethod.Length..] : call.Str("thread_ts");

    /// <summary>Whether a question key is a <c>/casebot</c> command's (else an app_mention's).</summary>
    public static bool IsSlashKey(string key) => key.StartsWith(SlashPrefix, StringComparison.Ordinal);
}
