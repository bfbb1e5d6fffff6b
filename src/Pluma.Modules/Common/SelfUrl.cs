using System.Globalization;
using System.Text;

namespace Pluma.Modules.Common;

/// <summary>
/// URL helpers Apache's modules share for redirects and links (mod_alias, mod_dir, mod_autoindex):
/// the text of ap_construct_url (server/core.c) once host and port are chosen, and
/// ap_os_escape_path and ap_is_url (server/util.c).
/// </summary>
public static class SelfUrl
{
    // Characters ap_os_escape_path leaves alone (gen_test_char's T_OS_ESCAPE_PATH complement).
    private const string PathSafe = "$-_.+!*'(),:;@&=/~";

    /// <summary>
    /// <c>http://host[:port]path</c> (<c>https://</c> on a TLS connection, mod_ssl's http_scheme
    /// hook); the port is left out when it is the scheme's default (80, 443). An IPv6 literal is
    /// bracketed. <paramref name="port"/> is the Host header's port when given, else the local port.
    /// </summary>
    public static string Construct(string host, int port, string path, bool secure = false)
    {
        var sb = new StringBuilder(16 + host.Length + path.Length);
        sb.Append(secure ? "https://" : "http://");
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            sb.Append('[').Append(host).Append(']');
        }
        else
        {
            sb.Append(host);
        }

        if (port != (secure ? 443 : 80) && port > 0)
        {
            sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        return sb.Append(path).ToString();
    }

    /// <summary>ap_os_escape_path(partial): %xx (lowercase, as Apache's c2x) for every byte of the UTF-8 form outside the path-safe set.</summary>
    public static string EscapePath(string path)
    {
        bool clean = true;
        foreach (char c in path)
        {
            if (!IsSafe(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return path;
        }

        var sb = new StringBuilder(path.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (IsSafe(c))
            {
                sb.Append(c);
                continue;
            }

            int n;
            if (char.IsHighSurrogate(c) && i + 1 < path.Length)
            {
                n = Encoding.UTF8.GetBytes(path.AsSpan(i, 2), utf8);
                i++;
            }
            else
            {
                n = Encoding.UTF8.GetBytes(path.AsSpan(i, 1), utf8);
            }

            for (int k = 0; k < n; k++)
            {
                sb.Append('%').Append(utf8[k].ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>ap_is_url: a scheme ("letters, digits, + - .") followed by ':'.</summary>
    public static bool IsUrl(string s)
    {
        int i = 0;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '+' or '-' or '.'))
        {
            i++;
        }

        return i > 0 && i < s.Length && s[i] == ':';
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || PathSafe.Contains(c, StringComparison.Ordinal);
}
