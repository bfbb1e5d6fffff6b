using System.Globalization;

namespace Pluma.Modules.Alias;

/// <summary>
/// apr_uri_parse (apr-util's apr_uri.c), the parts RedirectMatch needs: scheme, user,
/// password, hostname, port, path, query, fragment, split exactly where APR splits them.
/// </summary>
public sealed record UriParts
{
    public string? Scheme { get; private init; }

    public string? User { get; private init; }

    public string? Password { get; private init; }

    public string? Hostname { get; private init; }

    public string? PortText { get; private init; }

    public int Port { get; private init; }

    public string? Path { get; private init; }

    public string? Query { get; private init; }

    public string? Fragment { get; private init; }

    /// <summary>apr_uri_port_of_scheme for the schemes it knows (case-insensitive), else 0.</summary>
    public static int DefaultPort(string? scheme) => scheme?.ToLowerInvariant() switch
    {
        "http" => 80,
        "ftp" => 21,
        "https" => 443,
        "gopher" => 70,
        "ldap" => 389,
        "nntp" => 119,
        "snews" => 563,
        "imap" => 143,
        "pop" => 110,
        "sip" => 5060,
        "rtsp" => 554,
        "wais" => 210,
        "z39.50r" => 210,
        "z39.50s" => 210,
        "prospero" => 191,
        "nfs" => 2049,
        "tip" => 3372,
        "acap" => 674,
        "telnet" => 23,
        "ssh" => 22,
        _ => 0,
    };

    public static UriParts Parse(string uri)
    {
        // "//authority..." (but not "///"): an authority without a scheme (RFC 2396 4.3).
        if (uri.StartsWith("//", StringComparison.Ordinal) && !uri.StartsWith("///", StringComparison.Ordinal))
        {
            return Authority(new UriParts(), uri, 2);
        }

        if (uri.Length > 0 && uri[0] != '/' && char.IsAsciiLetter(uri[0]))
        {
            int s = 1;
            while (s < uri.Length && (char.IsAsciiLetterOrDigit(uri[s]) || uri[s] is '+' or '-' or '.'))
            {
                s++;
            }

            if (s < uri.Length && uri[s] == ':')
            {
                var withScheme = new UriParts { Scheme = uri[..s] };
                return uri.AsSpan(s).StartsWith("://")
                    ? Authority(withScheme, uri, s + 3)
                    : PathAndAfter(withScheme, uri, s + 1);
            }
        }

        return PathAndAfter(new UriParts(), uri, 0);
    }

    private static UriParts Authority(UriParts u, string uri, int start)
    {
        int end = start;
        while (end < uri.Length && uri[end] is not ('/' or '?' or '#'))
        {
            end++;
        }

        // The last '@' ends the user information; its first ':' splits user and password.
        int hostStart = start;
        int at = uri.LastIndexOf('@', end - 1, end - start);
        if (at >= 0)
        {
            int colon = uri.IndexOf(':', start, at - start);
            u = colon >= 0
                ? u with { User = uri[start..colon], Password = uri[(colon + 1)..at] }
                : u with { User = uri[start..at] };
            hostStart = at + 1;
        }

        int portColon;
        int v6 = 0;
        if (hostStart < end && uri[hostStart] == '[')
        {
            int close = uri.IndexOf(']', hostStart, end - hostStart);
            if (close < 0)
            {
                return u; // APR_EGENERAL: what was parsed so far
            }

            v6 = 1;
            portColon = close + 1 < end && uri[close + 1] == ':' ? close + 1 : -1;
        }
        else
        {
            portColon = uri.IndexOf(':', hostStart, end - hostStart);
        }

        if (portColon < 0)
        {
            return PathAndAfter(u with { Hostname = uri[(hostStart + v6)..(end - v6)] }, uri, end);
        }

        string portText = uri[(portColon + 1)..end];
        u = u with { Hostname = uri[(hostStart + v6)..(portColon - v6)], PortText = portText };
        if (portText.Length == 0)
        {
            return PathAndAfter(u with { Port = DefaultPort(u.Scheme) }, uri, end);
        }

        // strtol: leading digits (with an optional sign); anything after them is APR_EGENERAL.
        int digits = 0;
        while (digits < portText.Length && char.IsAsciiDigit(portText[digits]))
        {
            digits++;
        }

        int port = digits == 0 ? 0 : int.TryParse(portText.AsSpan(0, Math.Min(digits, 9)), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
        u = u with { Port = port };
        return digits == portText.Length ? PathAndAfter(u, uri, end) : u;
    }

    private static UriParts PathAndAfter(UriParts u, string uri, int start)
    {
        int s = start;
        while (s < uri.Length && uri[s] is not ('?' or '#'))
        {
            s++;
        }

        if (s != start)
        {
            u = u with { Path = uri[start..s] };
        }

        if (s == uri.Length)
        {
            return u;
        }

        if (uri[s] == '?')
        {
            int hash = uri.IndexOf('#', s + 1);
            return hash >= 0
                ? u with { Query = uri[(s + 1)..hash], Fragment = uri[(hash + 1)..] }
                : u with { Query = uri[(s + 1)..] };
        }

        return u with { Fragment = uri[(s + 1)..] };
    }
}
