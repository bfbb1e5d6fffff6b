using System.Collections.Generic;
using System.Globalization;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Proxy;

/// <summary>
/// The fields that cross the proxy (ap_proxy_create_hdrbrgd, ap_proxy_clear_connection and
/// proxy_http's response side): hop-by-hop fields stay behind, X-Forwarded-* and Via are added,
/// ProxyPassReverse maps Location, Content-Location and URI back to this server.
/// </summary>
public static class ProxyHeaders
{
    private static readonly string[] s_hopByHop =
    [
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    ];

    /// <summary>Whether a field never crosses a proxy (RFC 9110 section 7.6.1 and the ones Connection names).</summary>
    public static bool IsHopByHop(string name, IReadOnlyList<string> connectionTokens)
    {
        foreach (string h in s_hopByHop)
        {
            if (name.Equals(h, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (string t in connectionTokens)
        {
            if (name.Equals(t, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The tokens of every Connection field.</summary>
    public static List<string> ConnectionTokens(string? connection)
    {
        var tokens = new List<string>();
        if (connection is null)
        {
            return tokens;
        }

        foreach (string t in connection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            tokens.Add(t);
        }

        return tokens;
    }

    /// <summary>
    /// The client's fields as the backend gets them, in the client's order, with Host first
    /// (the backend's, or the client's under ProxyPreserveHost) and X-Forwarded-For merged in
    /// place, X-Forwarded-Host and X-Forwarded-Server after (ProxyAddHeaders On), then Via.
    /// Content-Length, Transfer-Encoding, Expect and Connection are the caller's.
    /// </summary>
    public static List<KeyValuePair<string, string>> ForBackend(RequestRecord r, ProxyWorker w)
    {
        HttpRequestHeaders h = r.Request.Headers;
        ProxyDirConfig dir = ProxyModule.DirConfig(r);
        List<string> connection = ConnectionTokens(h.GetCombined("Connection"));
        var fields = new List<KeyValuePair<string, string>>(h.Count + 4);
        string host = dir.PreserveHost == true && h["Host"] is { } clientHost ? clientHost : w.HostField;
        fields.Add(new("Host", host));
        bool addHeaders = dir.AddHeaders != false;
        string client = r.Request.RemoteEndPoint.Address.ToString();
        bool forwardedFor = false;
        for (int i = 0; i < h.Count; i++)
        {
            string name = h.GetName(i);
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Expect", StringComparison.OrdinalIgnoreCase) || IsHopByHop(name, connection))
            {
                continue;
            }

            string value = h.GetValue(i);
            if (addHeaders && name.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase))
            {
                if (forwardedFor)
                {
                    continue;
                }

                forwardedFor = true;
                value = h.GetCombined("X-Forwarded-For") + ", " + client;
            }
            else if (addHeaders && (name.Equals("X-Forwarded-Host", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Forwarded-Server", StringComparison.OrdinalIgnoreCase)))
            {
                continue; // merged below
            }

            fields.Add(new(name, value));
        }

        if (addHeaders)
        {
            if (!forwardedFor)
            {
                fields.Add(new("X-Forwarded-For", client));
            }

            if (h["Host"] is { } originalHost)
            {
                fields.Add(new("X-Forwarded-Host", Merge(h.GetCombined("X-Forwarded-Host"), originalHost)));
            }

            fields.Add(new("X-Forwarded-Server", Merge(h.GetCombined("X-Forwarded-Server"), r.Server.ServerName)));
        }

        string? via = ProxyModule.ServerConfig(r).Via;
        if (via is "on" or "full")
        {
            string self = r.Server.ServerName + (r.Server.Port is 0 or 80 ? string.Empty : ":" + r.Server.Port.ToString(CultureInfo.InvariantCulture));
            string entry = (r.Request.ProtocolNumber >= 1001 ? "1.1 " : "1.0 ") + self + (via == "full" ? " (" + r.Runtime.Info.Banner + ")" : string.Empty);
            int at = fields.FindIndex(f => f.Key.Equals("Via", StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                fields[at] = new(fields[at].Key, fields[at].Value + ", " + entry);
            }
            else
            {
                fields.Add(new("Via", entry));
            }
        }
        else if (via == "block")
        {
            fields.RemoveAll(f => f.Key.Equals("Via", StringComparison.OrdinalIgnoreCase));
        }

        return fields;
    }

    private static string Merge(string? existing, string value) => existing is null ? value : existing + ", " + value;

    /// <summary>
    /// ap_proxy_location_reverse_map: a backend URL that starts with a ProxyPassReverse URL gets
    /// the local path instead, made absolute on this server.
    /// </summary>
    public static string ReverseMap(RequestRecord r, string value)
    {
        foreach (ProxyReverseEntry e in ProxyModule.DirConfig(r).Reverses)
        {
            if (value.StartsWith(e.Url, StringComparison.Ordinal))
            {
                string local = e.Path + value[e.Url.Length..];
                if (local.StartsWith("//", StringComparison.Ordinal) && e.Path.EndsWith('/'))
                {
                    local = local[1..];
                }

                return SelfUrl.IsUrl(local) ? local : ServerUrl.ConstructUrl(r, local);
            }
        }

        return value;
    }
}
