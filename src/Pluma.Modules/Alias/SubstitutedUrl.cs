using System.Text;
using Pluma.Modules.Common;

namespace Pluma.Modules.Alias;

/// <summary>
/// What mod_alias does to a RedirectMatch result before it becomes a Location
/// (try_alias_list in mod_alias.c): apr_uri_parse it, apr_uri_unparse it without query and
/// fragment (a password shows as XXXXXXXX, a scheme's default port is dropped), escape that
/// with ap_escape_uri, then append "?query" and "#fragment" as they were. The substituted
/// groups come from the decoded URI, so without this a %0d%0a in the request would put a
/// CR LF into the response head.
/// </summary>
public static class SubstitutedUrl
{
    public static string Escape(string found)
    {
        UriParts u = UriParts.Parse(found);
        var sb = new StringBuilder(found.Length + 16);
        if (u.Scheme is not null)
        {
            sb.Append(u.Scheme).Append(':');
        }

        if (u.Hostname is not null)
        {
            sb.Append("//");
            if (u.User is not null || u.Password is not null)
            {
                sb.Append(u.User);
                if (u.Password is not null)
                {
                    // apr_uri_unparse without APR_URI_UNP_REVEALPASSWORD.
                    sb.Append(":XXXXXXXX");
                }

                sb.Append('@');
            }

            bool v6 = u.Hostname.Contains(':', StringComparison.Ordinal);
            sb.Append(v6 ? "[" : string.Empty).Append(u.Hostname).Append(v6 ? "]" : string.Empty);
            if (u.PortText is not null && u.Port != 0 && u.Port != UriParts.DefaultPort(u.Scheme))
            {
                sb.Append(':').Append(u.PortText);
            }
        }

        sb.Append(u.Path);
        string escaped = SelfUrl.EscapePath(sb.ToString());
        if (u.Query is null && u.Fragment is null)
        {
            return escaped;
        }

        sb.Clear().Append(escaped);
        if (u.Query is not null)
        {
            sb.Append('?').Append(AsWireBytes(u.Query));
        }

        if (u.Fragment is not null)
        {
            sb.Append('#').Append(AsWireBytes(u.Fragment));
        }

        return sb.ToString();
    }

    /// <summary>
    /// The decoded URI is UTF-8 read as text; Apache copies its bytes into the header as they
    /// are. One char per UTF-8 byte makes the latin-1 header writer send those same bytes.
    /// </summary>
    private static string AsWireBytes(string text)
    {
        foreach (char c in text)
        {
            if (c > 0x7F)
            {
                return Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
            }
        }

        return text;
    }
}
