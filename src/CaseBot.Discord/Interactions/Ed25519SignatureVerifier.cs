using System.Text;
using NSec.Cryptography;

namespace CaseBot.Discord.Interactions;

/// <summary>Checks Discord's request signature: Ed25519 over <c>X-Signature-Timestamp</c> + raw body, against the
/// application's public key. Any missing or malformed part fails verification.</summary>
internal sealed class Ed25519SignatureVerifier
{
    private readonly PublicKey _key;

    public Ed25519SignatureVerifier(string publicKeyHex) =>
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);

    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp)) return false;
        if (signatureHex.Length != 2 * 64 || !signatureHex.All(Uri.IsHexDigit)) return false;
        var signature = Convert.FromHexString(signatureHex);
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[stamp.Length + body.Length];
        stamp.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(stamp.Length));
        return SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
    }
}
