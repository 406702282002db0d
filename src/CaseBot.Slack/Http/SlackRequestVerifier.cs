using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CaseBot.Slack.Http;

/// <summary>Outcome of checking one request's signature.</summary>
public enum SignatureCheck { Valid, NoSecretConfigured, MissingHeader, StaleTimestamp, BadSignature }

/// <summary>
/// Slack's request signing, v0: <c>v0=</c> + hex(HMAC-SHA256(secret, <c>v0:{timestamp}:{raw body}</c>)), compared in
/// constant time, and refused when the timestamp is more than 5 minutes from now (replay protection).
/// </summary>
public sealed class SlackRequestVerifier(string? signingSecret, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private readonly byte[]? _key = string.IsNullOrEmpty(signingSecret) ? null : Encoding.UTF8.GetBytes(signingSecret);

    public SignatureCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (_key is null) return SignatureCheck.NoSecretConfigured;
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return SignatureCheck.MissingHeader;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return SignatureCheck.StaleTimestamp;
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (age.Duration() > MaxAge) return SignatureCheck.StaleTimestamp;

        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, signed)));
        var given = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.BadSignature;
    }
}
