using System.Security.Cryptography;
using System.Text;

namespace Pluma.Modules.AuthnFile;

/// <summary>
/// apr_password_validate (apr_md5.c): "$apr1$" hashes with <see cref="Apr1Md5"/>, "{SHA}" with
/// SHA-1 in base64, everything else (bcrypt, DES, $5$, $6$ ...) with the system's crypt. On
/// Unix a plain-text password is no hash: crypt does not give it back, so it never matches,
/// as in Apache. The computed and the stored hash are compared in constant time.
/// </summary>
public static class PasswordValidator
{
    public const string Sha1Prefix = "{SHA}";

    public static bool Validate(ReadOnlySpan<byte> password, string hash)
    {
        byte[]? computed;
        if (hash.StartsWith(Apr1Md5.Magic, StringComparison.Ordinal))
        {
            computed = Encoding.ASCII.GetBytes(Apr1Md5.Hash(password, hash));
        }
        else if (hash.StartsWith(Sha1Prefix, StringComparison.Ordinal))
        {
#pragma warning disable CA5350 // htpasswd -s writes SHA-1: checking such a file needs it.
            computed = Encoding.ASCII.GetBytes(Sha1Prefix + Convert.ToBase64String(SHA1.HashData(password)));
#pragma warning restore CA5350
        }
        else
        {
            computed = SystemCrypt.Hash(password, hash);
        }

        if (computed is null)
        {
            return false;
        }

        byte[] stored = Encoding.UTF8.GetBytes(hash);
        return CryptographicOperations.FixedTimeEquals(computed, stored);
    }
}
