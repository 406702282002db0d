using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Web.WebConsole;

/// <summary>Checks the moderator token of <c>POST /api/reindex</c> without leaking it through timing.</summary>
public static class AdminToken
{
    /// <summary>
    /// Hashing both sides first makes the comparison constant-time in the length too
    /// (<see cref="CryptographicOperations.FixedTimeEquals"/> alone returns early on a length mismatch).
    /// </summary>
    public static bool Matches(string? configured, string? presented)
    {
        if (string.IsNullOrWhiteSpace(configured) || presented is null) return false;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(configured.Trim()));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim()));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>The token from <c>Authorization: Bearer …</c> or <c>X-Admin-Token</c>.</summary>
    public static string? FromHeaders(string? authorization, string? adminTokenHeader)
    {
        if (!string.IsNullOrEmpty(authorization) && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..];
        return string.IsNullOrEmpty(adminTokenHeader) ? null : adminTokenHeader;
    }
}
