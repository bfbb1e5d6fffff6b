using System.Collections.Generic;
using System.Globalization;
using Pluma.Config.Expressions;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Headers;

/// <summary>
/// ap_expr's request variables for one request (util_expr_eval.c's request_var_fn and the
/// HTTP:/ENV:/RESP: lookups), for Header's expr= condition. Pooled per thread.
/// </summary>
internal sealed class RequestExpressionContext : IExpressionContext
{
    [ThreadStatic]
    private static RequestExpressionContext? t_context;

    private RequestRecord? _request;

    public static RequestExpressionContext For(RequestRecord r)
    {
        RequestExpressionContext c = t_context ??= new RequestExpressionContext();
        c._request = r;
        return c;
    }

    public string? GetVariable(string name)
    {
        RequestRecord r = _request!;
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            string prefix = name[..colon];
            string key = name[(colon + 1)..];
            if (prefix.Equals("HTTP", StringComparison.OrdinalIgnoreCase) || prefix.Equals("REQ", StringComparison.OrdinalIgnoreCase))
            {
                return r.Request.Headers.GetCombined(key);
            }

            if (prefix.Equals("RESP", StringComparison.OrdinalIgnoreCase))
            {
                return key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) ? r.Response.ContentType : r.Response.Headers[key];
            }

            if (prefix.Equals("ENV", StringComparison.OrdinalIgnoreCase))
            {
                return r.HasEnvironment && r.Environment.TryGetValue(key, out string? value) ? value : null;
            }

            if (prefix.Equals("NOTE", StringComparison.OrdinalIgnoreCase))
            {
                return r.Notes.GetValueOrDefault(key);
            }

            return null;
        }

        return name.ToUpperInvariant() switch
        {
            "REQUEST_URI" => r.Uri,
            "REQUEST_METHOD" => r.Request.Method,
            "QUERY_STRING" => r.Args,
            "REQUEST_FILENAME" or "SCRIPT_FILENAME" => r.Filename,
            "PATH_INFO" => r.PathInfo,
            "CONTENT_TYPE" => r.Response.ContentType ?? r.ContentType,
            "HANDLER" => r.Handler,
            "REQUEST_STATUS" => r.Response.StatusCode.ToString(CultureInfo.InvariantCulture),
            "REQUEST_SCHEME" => "http",
            "HTTPS" => "off",
            "SERVER_NAME" => r.Server.ServerName,
            "SERVER_PROTOCOL" => r.Request.Protocol,
            "THE_REQUEST" => r.Request.RequestLine,
            "REMOTE_ADDR" => r.Request.RemoteEndPoint.Address.ToString(),
            "REMOTE_USER" => r.User,
            "HTTP_HOST" => r.Request.Headers.GetCombined("Host"),
            "HTTP_USER_AGENT" => r.Request.Headers.GetCombined("User-Agent"),
            "HTTP_REFERER" => r.Request.Headers.GetCombined("Referer"),
            "HTTP_ACCEPT" => r.Request.Headers.GetCombined("Accept"),
            "HTTP_COOKIE" => r.Request.Headers.GetCombined("Cookie"),
            "IS_SUBREQ" => "false",
            _ => null,
        };
    }
}
