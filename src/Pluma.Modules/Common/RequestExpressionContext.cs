using System.Collections.Generic;
using System.Globalization;
using Pluma.Config.Expressions;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Common;

/// <summary>
/// ap_expr's request variables for one request (util_expr_eval.c's request_var_fn and the
/// HTTP:/ENV:/RESP: lookups), for mod_headers' and mod_setenvif's expressions. Pooled per
/// thread. The request fields it reads through HTTP:/req are remembered, for the Vary field
/// ap_expr adds to a response that depended on them (REQ_NOVARY reads without that).
/// </summary>
public sealed class RequestExpressionContext : IExpressionContext
{
    [ThreadStatic]
    private static RequestExpressionContext? t_context;

    private readonly List<string> _varyNames = [];
    private RequestRecord? _request;

    /// <summary>The request fields the expressions evaluated since <see cref="For"/> read (each once).</summary>
    public IReadOnlyList<string> VaryNames => _varyNames;

    public static RequestExpressionContext For(RequestRecord r)
    {
        RequestExpressionContext c = t_context ??= new RequestExpressionContext();
        c._request = r;
        c._varyNames.Clear();
        return c;
    }

    /// <summary>This thread's context for <paramref name="r"/>, the fields read so far kept (one directive list evaluates in one go).</summary>
    public static RequestExpressionContext Current(RequestRecord r)
    {
        RequestExpressionContext c = t_context ??= new RequestExpressionContext();
        if (!ReferenceEquals(c._request, r))
        {
            c._request = r;
            c._varyNames.Clear();
        }

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
                if (!_varyNames.Exists(n => n.Equals(key, StringComparison.OrdinalIgnoreCase)))
                {
                    _varyNames.Add(key);
                }

                return r.Request.Headers.GetCombined(key);
            }

            if (prefix.Equals("REQ_NOVARY", StringComparison.OrdinalIgnoreCase))
            {
                return r.Request.Headers.GetCombined(key);
            }

            if (prefix.Equals("OSENV", StringComparison.OrdinalIgnoreCase))
            {
                return System.Environment.GetEnvironmentVariable(key);
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
