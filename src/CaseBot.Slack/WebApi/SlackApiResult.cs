using System.Text.Json;

namespace CaseBot.Slack.WebApi;

/// <summary>Outcome of one Web API call after retries: <c>ok</c>, the <c>error</c> code when not, and the body.</summary>
public sealed record SlackApiResult(bool Ok, string? Error, JsonElement Body)
{
    public static SlackApiResult Failed(string error) => new(false, error, default);

    public string? GetString(string property) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}

/// <summary>Slack refused a call for good: the token (<c>invalid_auth</c>, <c>account_inactive</c>, …) or the app's
/// set-up (<c>not_allowed_token_type</c>, <c>missing_scope</c>, …). Retrying cannot help.</summary>
public sealed class SlackAuthException(string method, string error, string? fix = null)
    : Exception(fix is null
        ? $"Slack refused the token on {method}: {error}. Check the token in configuration; not retrying."
        : $"Slack refused {method}: {error}. {fix} Not retrying.")
{
    public string Error { get; } = error;
}

/// <summary>A Web API call the adapter cannot go on without failed (not an auth error).</summary>
public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Error { get; } = error;
}
