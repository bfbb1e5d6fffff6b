using System.Globalization;
using System.Text;
using Pluma.Modules.Common;

namespace Pluma.Modules.Rewrite;

/// <summary>mod_rewrite's URL helpers: is_absolute_uri, escape_absolute_uri, escape_backref, subst_prefix_path and the header-safety escape.</summary>
internal static class RewriteUrl
{
    // Scheme prefixes is_absolute_uri knows, with whether a query string makes sense there.
    private static readonly (string Prefix, bool Query)[] s_schemes =
    [
        ("ajp://", true), ("balancer://", true), ("ftp://", false), ("fcgi://", true), ("gopher://", false),
        ("http://", true), ("https://", true), ("h2://", true), ("h2c://", true), ("ldap://", false),
        ("mailto:", true), ("news:", false), ("nntp://", false), ("scgi://", true), ("ws://", true),
        ("wss://", true), ("unix:", true), ("uwsgi://", true),
    ];

    /// <summary>is_absolute_uri: the length of the scheme part ("http://" is 7), or 0 for a local path.</summary>
    public static int AbsoluteSchemeLength(string uri, out bool supportsQuery)
    {
        supportsQuery = false;
        if (uri.Length <= 5 || uri[0] == '/')
        {
            return 0;
        }

        foreach (var (prefix, query) in s_schemes)
        {
            if (uri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                supportsQuery = query;
                return prefix.Length;
            }
        }

        return 0;
    }

    public static bool IsAbsolute(string uri) => AbsoluteSchemeLength(uri, out _) > 0;

    /// <summary>escape_absolute_uri: the path (and what follows it) escaped as ap_escape_uri does; scheme and authority kept.</summary>
    public static string EscapeAbsolute(string uri, int scheme)
    {
        int cp = scheme;
        if (uri[cp - 1] == '/')
        {
            while (cp < uri.Length && uri[cp] != '/')
            {
                cp++;
            }

            if (cp >= uri.Length || cp + 1 >= uri.Length)
            {
                return uri;
            }

            cp++;
            if (uri.StartsWith("ldap", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 2255: the parts after the DN are separated by '?', which stay.
                string[] parts = uri[cp..].Split('?');
                var sb = new StringBuilder(uri, 0, cp, uri.Length + 16);
                for (int i = 0; i < parts.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append('?');
                    }

                    sb.Append(SelfUrl.EscapePath(parts[i]));
                }

                return sb.ToString();
            }
        }

        return uri[..cp] + SelfUrl.EscapePath(uri[cp..]);
    }

    /// <summary>escape_backref: [B] escapes every non-alphanumeric byte (or those of B=...), [BCTLS] only controls and space; a space is '+' unless [BNP].</summary>
    public static string EscapeBackref(string value, string? escapes, string? noEscapes, RuleFlags flags)
    {
        bool noPlus = (flags & RuleFlags.EscapeNoPlus) != 0;
        bool ctls = (flags & RuleFlags.EscapeCtls) != 0;
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            char c = (char)b;
            bool escape = ctls ? b < 0x20 || b == 0x7f || b == ' '
                : escapes is null ? !char.IsAsciiLetterOrDigit(c)
                : b < 0x80 && escapes.Contains(c, StringComparison.Ordinal);
            if (escape && noEscapes is not null && b < 0x80 && noEscapes.Contains(c, StringComparison.Ordinal))
            {
                escape = false;
            }

            if (!escape)
            {
                if (b < 0x80)
                {
                    sb.Append(c);
                }
                else
                {
                    // Unescaped non-ASCII bytes stay bytes: they are decoded again below.
                    sb.Append('\u0100' + b);
                }
            }
            else if (b == ' ' && !noPlus)
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        return RestoreBytes(sb);
    }

    /// <summary>subst_prefix_path: <paramref name="match"/> as a path prefix of <paramref name="input"/> replaced by <paramref name="subst"/>.</summary>
    public static string SubstPrefixPath(string input, string match, string subst)
    {
        int len = match.Length;
        if (len > 0 && match[len - 1] == '/')
        {
            len--;
        }

        if (input.Length > len && string.CompareOrdinal(input, 0, match, 0, len) == 0 && input[len] == '/')
        {
            string prefix = subst.Length > 0 && subst[^1] != '/' ? subst + "/" : subst;
            return prefix + input[(len + 1)..];
        }

        return input;
    }

    /// <summary>ap_scan_vchar_obstext: whether a query string holds a space or a control character.</summary>
    public static bool HasControlOrSpace(string s)
    {
        foreach (char c in s)
        {
            if (c <= ' ' || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What goes into a Location field: control characters (CR and LF above all) %-escaped even
    /// under [NE], so that no rule and no request can split the response's header.
    /// </summary>
    public static string HeaderSafe(string s)
    {
        if (!HasControl(s))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            if (c < ' ' || c == '\u007f')
            {
                sb.Append('%').Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool HasControl(string s)
    {
        foreach (char c in s)
        {
            if (c < ' ' || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    private static string RestoreBytes(StringBuilder sb)
    {
        string s = sb.ToString();
        bool any = false;
        foreach (char c in s)
        {
            if (c >= '\u0100')
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return s;
        }

        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            bytes[i] = s[i] >= '\u0100' ? (byte)(s[i] - '\u0100') : (byte)s[i];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
