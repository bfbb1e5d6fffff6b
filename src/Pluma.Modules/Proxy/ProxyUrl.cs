using System.Globalization;
using System.Text;

namespace Pluma.Modules.Proxy;

/// <summary>Backend URLs: "scheme://host[:port]/path", optionally behind "unix:/socket|".</summary>
public static class ProxyUrl
{
    /// <summary>Splits a backend URL; false when it is not one (no scheme or host).</summary>
    public static bool TryParse(string url, out string? socketPath, out string scheme, out string host, out int port, out string path)
    {
        socketPath = null;
        scheme = host = path = string.Empty;
        port = 0;
        string rest = url;
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            int bar = rest.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0)
            {
                return false;
            }

            socketPath = rest[5..bar];
            rest = rest[(bar + 1)..];
        }

        int colon = rest.IndexOf("://", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        scheme = rest[..colon].ToLowerInvariant();
        int hostStart = colon + 3;
        int slash = rest.IndexOf('/', hostStart);
        string authority = slash < 0 ? rest[hostStart..] : rest[hostStart..slash];
        path = slash < 0 ? string.Empty : rest[slash..];
        port = ProxyWorker.DefaultPort(scheme);
        int portColon = authority.LastIndexOf(':');
        if (portColon >= 0 && authority.IndexOf(']', StringComparison.Ordinal) < portColon)
        {
            if (!int.TryParse(authority.AsSpan(portColon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            authority = authority[..portColon];
        }

        host = authority;
        return host.Length > 0 || socketPath is not null;
    }

    /// <summary>A worker for <paramref name="url"/>, or null and Apache's complaint.</summary>
    public static ProxyWorker? TryCreateWorker(string url, out string? error)
    {
        error = null;
        if (!TryParse(url, out string? socket, out string scheme, out string host, out int port, out _))
        {
            error = "ProxyPass Unable to parse URL: " + url;
            return null;
        }

        string name = socket is null ? url : url[(url.IndexOf('|', StringComparison.Ordinal) + 1)..];
        return new ProxyWorker(name, scheme, host.Length == 0 ? "localhost" : host, port, socket);
    }

    /// <summary>
    /// ap_proxy_canonenc for a path (enc_path): what is not unreserved, "/" or one of
    /// Apache's allowed characters is percent-encoded, in upper-case hex.
    /// </summary>
    public static string EncodePath(string path)
    {
        const string allowed = "~$-_.+!*'(),;:@&=/";
        int i = 0;
        while (i < path.Length && (char.IsAsciiLetterOrDigit(path[i]) || allowed.Contains(path[i], StringComparison.Ordinal)))
        {
            i++;
        }

        if (i == path.Length)
        {
            return path;
        }

        var sb = new StringBuilder(path.Length + 16);
        sb.Append(path, 0, i);
        Span<byte> utf8 = stackalloc byte[4];
        for (; i < path.Length; i++)
        {
            char c = path[i];
            if (char.IsAsciiLetterOrDigit(c) || allowed.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
                continue;
            }

            // The engine decodes the path as UTF-8: encode each character's UTF-8 bytes again.
            int n = c < 0x80 ? 1 : Encoding.UTF8.GetBytes(path.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < path.Length ? 2 : 1), utf8);
            if (c < 0x80)
            {
                utf8[0] = (byte)c;
            }
            else if (char.IsHighSurrogate(c))
            {
                i++;
            }

            for (int k = 0; k < n; k++)
            {
                sb.Append('%').Append(((int)utf8[k]).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>mod_proxy's alias_match: runs of '/' match runs of '/', and the match ends at a path segment; the URI characters matched, or 0.</summary>
    public static int AliasMatch(string uri, string fake)
    {
        int a = 0, u = 0;
        while (a < fake.Length && u < uri.Length)
        {
            if (fake[a] == '/')
            {
                if (uri[u] != '/')
                {
                    return 0;
                }

                while (a < fake.Length && fake[a] == '/')
                {
                    a++;
                }

                while (u < uri.Length && uri[u] == '/')
                {
                    u++;
                }
            }
            else if (uri[u++] != fake[a++])
            {
                return 0;
            }
        }

        if (u == uri.Length && a != fake.Length)
        {
            return 0;
        }

        if (fake[a - 1] != '/' && u < uri.Length && uri[u] != '/')
        {
            return 0;
        }

        return u;
    }
}
