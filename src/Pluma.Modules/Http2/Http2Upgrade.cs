using Pluma.Http.Http2;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Http2;

/// <summary>
/// mod_http2's h2c upgrade (h2_h2.c h2_h2_post_read_req, h2_switch.c): a cleartext HTTP/1.1
/// request with <c>Upgrade: h2c</c>, <c>Connection: Upgrade</c> and an <c>HTTP2-Settings</c>
/// header, on a virtual host whose Protocols lists h2c, is answered with 101 Switching Protocols
/// and served again as stream 1 of the HTTP/2 connection that follows. As Apache 2.4.71, a
/// request with a body (Content-Length other than 0) is not upgraded, and neither is a chunked
/// one (Apache would switch it; Pluma answers it over HTTP/1.1 rather than lose its body).
/// </summary>
internal static class Http2Upgrade
{
    public static int PostReadRequest(RequestRecord r)
    {
        if (r.Previous is not null || r.Http.Connection.IsSecure || r.Http.Connection.RequestProtocol is not null)
        {
            return HookResult.Declined; // TLS negotiates by ALPN; an HTTP/2 stream is already there
        }

        Pluma.Http.HttpRequestHeaders headers = r.Request.Headers;
        if (!HasToken(headers.GetCombined("Upgrade"), "h2c")
            || !HasToken(headers.GetCombined("Connection"), "Upgrade")
            || headers.GetCombined("HTTP2-Settings") is null)
        {
            return HookResult.Declined;
        }

        string? length = headers.GetCombined("Content-Length");
        if ((length is not null && length != "0") || headers.GetCombined("Transfer-Encoding") is not null)
        {
            return HookResult.Declined; // "upgrade with content-length: %s, declined"
        }

        if (!r.Server.Core.AllowsProtocol("h2c") || Http2Module.OptionsFor(r.Runtime, r.Server) is not Http2Options options)
        {
            return HookResult.Declined;
        }

        r.Http.SwitchToHttp2 = options;
        return HookResult.Done;
    }

    /// <summary>Whether the comma-separated list holds the token (case-insensitive), as h2_util_contains_token.</summary>
    private static bool HasToken(string? list, string token)
    {
        if (list is null)
        {
            return false;
        }

        foreach (string part in list.Split(','))
        {
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
