using System.Security.Cryptography;

namespace Pluma.Modules.AuthnFile;

/// <summary>
/// APR's "$apr1$" password hash (apr_md5.c, apr_md5_encode): the FreeBSD MD5-crypt algorithm
/// with the magic "$apr1$", 1000 rounds of MD5 over the password, the salt (at most 8
/// characters, up to the next '$') and the previous digest. What <c>htpasswd -m</c> writes.
/// </summary>
#pragma warning disable CA5351 // htpasswd -m writes apr1 (MD5): checking such a file needs it.
public static class Apr1Md5
{
    public const string Magic = "$apr1$";

    private const string Itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The full hash ("$apr1$salt$digest") of <paramref name="password"/> with the salt of <paramref name="setting"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> password, string setting)
    {
        ReadOnlySpan<char> salt = setting.AsSpan();
        if (salt.StartsWith(Magic, StringComparison.Ordinal))
        {
            salt = salt[Magic.Length..];
        }

        int end = 0;
        while (end < salt.Length && end < 8 && salt[end] != '$')
        {
            end++;
        }

        salt = salt[..end];
        byte[] saltBytes = System.Text.Encoding.Latin1.GetBytes(salt.ToArray());
        byte[] magic = "$apr1$"u8.ToArray();

        using var ctx = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        ctx.AppendData(password);
        ctx.AppendData(magic);
        ctx.AppendData(saltBytes);

        Span<byte> alt = stackalloc byte[16];
        using (var altCtx = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
        {
            altCtx.AppendData(password);
            altCtx.AppendData(saltBytes);
            altCtx.AppendData(password);
            altCtx.GetHashAndReset(alt);
        }

        for (int left = password.Length; left > 0; left -= 16)
        {
            ctx.AppendData(alt[..Math.Min(left, 16)]);
        }

        // "Then something really weird": a NUL or the first password byte per bit of the length.
        ReadOnlySpan<byte> zero = [0];
        for (int i = password.Length; i != 0; i >>= 1)
        {
            ctx.AppendData((i & 1) != 0 ? zero : password[..1]);
        }

        Span<byte> final = stackalloc byte[16];
        ctx.GetHashAndReset(final);
        using var round = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (int i = 0; i < 1000; i++)
        {
            if ((i & 1) != 0)
            {
                round.AppendData(password);
            }
            else
            {
                round.AppendData(final);
            }

            if (i % 3 != 0)
            {
                round.AppendData(saltBytes);
            }

            if (i % 7 != 0)
            {
                round.AppendData(password);
            }

            if ((i & 1) != 0)
            {
                round.AppendData(final);
            }
            else
            {
                round.AppendData(password);
            }

            round.GetHashAndReset(final);
        }

        var sb = new System.Text.StringBuilder(Magic.Length + salt.Length + 23);
        sb.Append(Magic).Append(salt).Append('$');
        To64(sb, (final[0] << 16) | (final[6] << 8) | final[12], 4);
        To64(sb, (final[1] << 16) | (final[7] << 8) | final[13], 4);
        To64(sb, (final[2] << 16) | (final[8] << 8) | final[14], 4);
        To64(sb, (final[3] << 16) | (final[9] << 8) | final[15], 4);
        To64(sb, (final[4] << 16) | (final[10] << 8) | final[5], 4);
        To64(sb, final[11], 2);
        final.Clear();
        return sb.ToString();
    }

    private static void To64(System.Text.StringBuilder sb, int v, int n)
    {
        while (--n >= 0)
        {
            sb.Append(Itoa64[v & 0x3f]);
            v >>= 6;
        }
    }
}
#pragma warning restore CA5351
