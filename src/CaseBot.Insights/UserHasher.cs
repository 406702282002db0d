using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Insights;

/// <summary>HMAC-SHA256 of platform and user id under a secret salt: stable per user, not reversible without the salt.</summary>
public sealed class UserHasher(string salt)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(salt);

    public string Hash(string platform, string? userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(platform + "\n" + (userId ?? "anonymous"))))[..32];
}
