using System.Collections.Generic;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's LogFormat letters (ssl_var_log_handler_x and _c): <c>%{VAR}x</c> prints one of
/// mod_ssl's variables, <c>%{version|cipher|subjectdn|issuerdn|errcode|errstr}c</c> the
/// connection's TLS facts in mod_ssl's older names. An empty value prints "-".
/// </summary>
internal static class SslLogItems
{
    /// <summary>
    /// %{VAR}x, ssl_var_lookup's order: the request's own variables first (HTTP_HOST, ENV:NAME,
    /// ...), then HTTPS ("off" on a plain connection), the library's version on any connection, and
    /// the connection's SSL_* variables (none on a plain connection).
    /// </summary>
    public static string? Variable(RequestRecord r, string name)
    {
        string? v = RequestVariable(r, name);
        if (v is null)
        {
            if (r.Http.Connection is TlsConnection tls)
            {
                v = SslVariables.Lookup(tls, name);
            }
            else if (name is "HTTPS")
            {
                v = "off";
            }
            else if (name is "SSL_VERSION_INTERFACE" or "SSL_VERSION_LIBRARY")
            {
                v = SslVariables.Version(name);
            }
        }

        return string.IsNullOrEmpty(v) ? null : v;
    }

    /// <summary>ssl_var_lookup's request-level names (those Pluma's request record holds).</summary>
    private static string? RequestVariable(RequestRecord r, string name)
    {
        if (name.StartsWith("HTTP:", StringComparison.Ordinal))
        {
            return r.Request.Headers[name[5..]];
        }

        if (name.StartsWith("ENV:", StringComparison.Ordinal))
        {
            return r.Environment.GetValueOrDefault(name[4..]);
        }

        return name switch
        {
            "HTTP_USER_AGENT" => r.Request.Headers["User-Agent"],
            "HTTP_REFERER" => r.Request.Headers["Referer"],
            "HTTP_COOKIE" => r.Request.Headers["Cookie"],
            "HTTP_FORWARDED" => r.Request.Headers["Forwarded"],
            "HTTP_HOST" => r.Request.Headers["Host"],
            "HTTP_PROXY_CONNECTION" => r.Request.Headers["Proxy-Connection"],
            "HTTP_ACCEPT" => r.Request.Headers["Accept"],
            "REQUEST_METHOD" => r.Request.Method,
            "REQUEST_SCHEME" => r.IsSecure ? "https" : "http",
            "REQUEST_URI" => r.Uri,
            "QUERY_STRING" => r.Args ?? r.Request.QueryString,
            "SCRIPT_FILENAME" or "REQUEST_FILENAME" => r.Filename,
            "PATH_INFO" => r.PathInfo,
            "SERVER_NAME" => r.Server.ServerName,
            "SERVER_PROTOCOL" => r.Request.Protocol,
            "REMOTE_USER" => r.User,
            "IS_SUBREQ" => r.IsSubRequest ? "true" : "false",
            _ => null,
        };
    }

    /// <summary>%{...}c: nothing at all on a plain connection.</summary>
    public static string? Connection(RequestRecord r, string what)
    {
        if (r.Http.Connection is not TlsConnection tls)
        {
            return null;
        }

        string? v = what switch
        {
            "version" => SslVariables.Lookup(tls, "SSL_PROTOCOL"),
            "cipher" => SslVariables.Lookup(tls, "SSL_CIPHER"),
            "subjectdn" or "clientcert" => SslVariables.Lookup(tls, "SSL_CLIENT_S_DN"),
            "issuerdn" or "cacert" => SslVariables.Lookup(tls, "SSL_CLIENT_I_DN"),
            "errcode" => "-",
            "errstr" => SslVariables.VerifyError(tls),
            _ => null,
        };
        return string.IsNullOrEmpty(v) ? null : v;
    }
}
