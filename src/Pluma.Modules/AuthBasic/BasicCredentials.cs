using System.Text;

namespace Pluma.Modules.AuthBasic;

/// <summary>
/// The user and password of an "Authorization: Basic ..." field, read as mod_auth_basic's
/// get_basic_auth reads it: the scheme is the text up to the first space (any case), spaces and
/// tabs after it are skipped, the rest is decoded as apr_base64_decode does (up to the first
/// character outside the base64 alphabet, a lone trailing character ignored), the result ends
/// at its first NUL byte, and the user is what comes before the first ':' (all of it, with an
/// empty password, when there is none).
/// </summary>
public static class BasicCredentials
{
    public enum Outcome
    {
        Parsed,

        /// <summary>Another scheme than Basic (AH01614).</summary>
        WrongScheme,
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses <paramref name="field"/>. <paramref name="user"/> is null when its bytes are not
    /// UTF-8 (no user file line can then match it: such a user is not found).
    /// </summary>
    public static Outcome Parse(string field, out string? user, out byte[] password, out string userForLog)
    {
        user = null;
        password = [];
        userForLog = string.Empty;
        int space = field.IndexOf(' ', StringComparison.Ordinal);
        string scheme = space < 0 ? field : field[..space];
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.WrongScheme;
        }

        int i = space < 0 ? field.Length : space;
        while (i < field.Length && field[i] is ' ' or '\t')
        {
            i++;
        }

        byte[] decoded = Decode(field.AsSpan(i));
        int end = Array.IndexOf(decoded, (byte)0);
        int length = end < 0 ? decoded.Length : end;
        int colon = Array.IndexOf(decoded, (byte)':', 0, length);
        int userLength = colon < 0 ? length : colon;
        password = colon < 0 ? [] : decoded[(colon + 1)..length];
        try
        {
            user = s_strictUtf8.GetString(decoded, 0, userLength);
            userForLog = user;
        }
        catch (DecoderFallbackException)
        {
            // Logged byte for byte as Apache would escape it (each byte as \xhh).
            userForLog = Encoding.Latin1.GetString(decoded, 0, userLength);
        }

        return Outcome.Parsed;
    }

    /// <summary>apr_base64_decode: the base64 prefix of <paramref name="text"/>, decoded.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        int n = 0;
        while (n < text.Length && Value(text[n]) >= 0)
        {
            n++;
        }

        int full = n / 4;
        int rest = n % 4;
        var output = new byte[(full * 3) + (rest > 1 ? rest - 1 : 0)];
        int o = 0;
        for (int g = 0; g < full * 4; g += 4)
        {
            int v = (Value(text[g]) << 18) | (Value(text[g + 1]) << 12) | (Value(text[g + 2]) << 6) | Value(text[g + 3]);
            output[o++] = (byte)(v >> 16);
            output[o++] = (byte)(v >> 8);
            output[o++] = (byte)v;
        }

        int b = full * 4;
        if (rest > 1)
        {
            output[o++] = (byte)((Value(text[b]) << 2) | (Value(text[b + 1]) >> 4));
        }

        if (rest > 2)
        {
            output[o] = (byte)((Value(text[b + 1]) << 4) | (Value(text[b + 2]) >> 2));
        }

        return output;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        _ => -1,
    };
}
