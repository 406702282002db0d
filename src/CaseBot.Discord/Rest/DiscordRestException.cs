namespace CaseBot.Discord.Rest;

/// <summary>A REST call that failed for good. The message names the route template only: no token, no URL.</summary>
public sealed class DiscordRestException(int statusCode, int? discordCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>Discord's JSON error code (e.g. 50035 invalid form body, 40060 already acknowledged).</summary>
    public int? DiscordCode { get; } = discordCode;

    public bool IsUnauthorized => StatusCode == 401;

    /// <summary>401 or 403: retrying cannot help, and Discord bans clients that keep making such requests.</summary>
    public bool IsAuthFailure => StatusCode is 401 or 403;
}
