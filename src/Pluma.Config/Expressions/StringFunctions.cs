using System.Security.Cryptography;
using System.Text;

namespace Pluma.Config.Expressions;

/// <summary>
/// ap_expr's string functions (util_expr_eval.c's string_func_table) and the lookups it
/// registers as functions (http, req, resp, env, note, osenv, reqenv, req_novary). Bytes are
/// latin-1, as Apache's strings are bytes.
/// </summary>
internal static class StringFunctions
{
    /// <summary>The variable prefix a lookup function reads, as <see cref="IExpressionContext.GetVariable"/> takes it.</summary>
    public static string? LookupPrefix(string name) => name.ToLowerInvariant() switch
    {
        "http" or "req" => "HTTP",
        "req_novary" => "REQ_NOVARY",
        "resp" => "RESP",
        "env" or "reqenv" => "ENV",
        "note" => "NOTE",
        "osenv" => "OSENV",
        _ => null,
    };

    public static Func<string, string>? Find(string name) => name.ToLowerInvariant() switch
    {
        "tolower" => s => s.ToLowerInvariant(),
        "toupper" => s => s.ToUpperInvariant(),
        "escape" => Escape,
        "unescape" => Unescape,
        "base64" => s => Convert.ToBase64String(Encoding.Latin1.GetBytes(s)),
        "unbase64" => Unbase64,
#pragma warning disable CA5350, CA5351 // ap_expr's md5() and sha1() are digests the configuration asks for, not security.
        "md5" => s => Convert.ToHexStringLower(MD5.HashData(Encoding.Latin1.GetBytes(s))),
        "sha1" => s => Convert.ToHexStringLower(SHA1.HashData(Encoding.Latin1.GetBytes(s))),
#pragma warning restore CA5350, CA5351
        _ => null,
    };

    /// <summary>ap_escape_uri (ap_os_escape_path without the "./" prefix): what a path may not hold becomes %xx.</summary>
    internal static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            if (char.IsAsciiLetterOrDigit(c) || "$-_.+!*'(),:@&=/~".Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(((byte)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>ap_unescape_url_keep2f's result, or the text unchanged where it fails (an invalid %xx).</summary>
    internal static string Unescape(string s)
    {
        if (!s.Contains('%', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return s;
                }

                sb.Append((char)Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>apr_pbase64_decode: decodes as far as the text is base64 (padding optional).</summary>
    private static string Unbase64(string s)
    {
        int end = 0;
        while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '+' or '/'))
        {
            end++;
        }

        string body = s[..end];
        int pad = (4 - (body.Length % 4)) % 4;
        if (pad == 3)
        {
            body = body[..^1];
            pad = 0;
        }

        try
        {
            return Encoding.Latin1.GetString(Convert.FromBase64String(body + new string('=', pad)));
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }
}
