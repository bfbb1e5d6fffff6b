using System.Globalization;
using System.Net.Sockets;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// mod_rewrite's lookup_variable: the %{NAME} server variables of RewriteCond and
/// substitutions. An unknown name is the empty string, as in Apache. A request header that is
/// present (other than Host) is remembered for the response's Vary.
/// </summary>
internal static class RewriteVariables
{
    private const string DefaultDocumentRoot = "/var/www/html";

    public static string Lookup(string name, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        if (name.Length > 4 && name[4] == ':' || name.Length > 3 && name[3] == ':')
        {
            return Prefixed(name, ctx) ?? string.Empty;
        }

        DateTime now = DateTime.Now;
        return name switch
        {
            "HTTP_ACCEPT" => Header("Accept", ctx),
            "HTTP_COOKIE" => Header("Cookie", ctx),
            "HTTP_FORWARDED" => Header("Forwarded", ctx),
            "HTTP_HOST" => Header("Host", ctx),
            "HTTP_PROXY_CONNECTION" => Header("Proxy-Connection", ctx),
            "HTTP_REFERER" => Header("Referer", ctx),
            "HTTP_USER_AGENT" => Header("User-Agent", ctx),
            "HTTPS" => "off",
            "HTTP2" => "off",
            "IPV6" => r.Request.RemoteEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && !r.Request.RemoteEndPoint.Address.IsIPv4MappedToIPv6 ? "on" : "off",
            "TIME_YEAR" => now.Year.ToString("D4", CultureInfo.InvariantCulture),
            "TIME_MON" => now.Month.ToString("D2", CultureInfo.InvariantCulture),
            "TIME_DAY" => now.Day.ToString("D2", CultureInfo.InvariantCulture),
            "TIME_HOUR" => now.Hour.ToString("D2", CultureInfo.InvariantCulture),
            "TIME_MIN" => now.Minute.ToString("D2", CultureInfo.InvariantCulture),
            "TIME_SEC" => now.Second.ToString("D2", CultureInfo.InvariantCulture),
            "TIME_WDAY" => ((int)now.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            "TIME" => now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            "SERVER_ADDR" => Address(r.Request.LocalEndPoint.Address),
            "SERVER_NAME" => ServerUrl.RequestHost(r),
            "SERVER_PORT" => ServerUrl.RequestPort(r).ToString(CultureInfo.InvariantCulture),
            "SERVER_ADMIN" => r.Server.Core.ServerAdmin ?? "[no address given]",
            "SERVER_PROTOCOL" => r.Request.Protocol,
            "SERVER_SOFTWARE" => r.Runtime.Info.Banner,
            "REMOTE_ADDR" or "REMOTE_HOST" => Address(r.Request.RemoteEndPoint.Address),
            "CONN_REMOTE_ADDR" => Address(r.Request.PeerEndPoint.Address),
            "REMOTE_PORT" => r.Request.RemoteEndPoint.Port.ToString(CultureInfo.InvariantCulture),
            "REMOTE_USER" => r.User ?? string.Empty,
            "REMOTE_IDENT" => string.Empty,
            "REQUEST_URI" => r.Uri,
            "REQUEST_METHOD" => r.Request.Method,
            "REQUEST_SCHEME" => "http",
            "REQUEST_FILENAME" or "SCRIPT_FILENAME" => r.Filename ?? string.Empty,
            "QUERY_STRING" => r.Args ?? string.Empty,
            "THE_REQUEST" => r.Request.RequestLine,
            "DOCUMENT_ROOT" or "CONTEXT_DOCUMENT_ROOT" => r.DocumentRoot ?? r.Server.Core.DocumentRoot ?? DefaultDocumentRoot,
            "CONTEXT_PREFIX" => string.Empty,
            "PATH_INFO" => r.PathInfo ?? string.Empty,
            "AUTH_TYPE" => AuthnCoreModule.AuthType(r) ?? string.Empty,
            "IS_SUBREQ" => r.IsSubRequest ? "true" : "false",
            "SCRIPT_USER" => Owner(r, group: false),
            "SCRIPT_GROUP" => Owner(r, group: true),
            _ => string.Empty,
        };
    }

    private static string? Prefixed(string name, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        if (name.StartsWith("ENV:", StringComparison.Ordinal))
        {
            string key = name[4..];
            if (r.Notes.TryGetValue(key, out string? note))
            {
                return note;
            }

            if (r.HasEnvironment && r.Environment.TryGetValue(key, out string? env))
            {
                return env;
            }

            return Environment.GetEnvironmentVariable(key);
        }

        if (name.StartsWith("HTTP:", StringComparison.Ordinal))
        {
            return Header(name[5..], ctx);
        }

        if (name.StartsWith("SSL:", StringComparison.Ordinal))
        {
            // No mod_ssl: ssl_var_lookup is not there, and Apache then gives the empty string.
            return string.Empty;
        }

        if (name.StartsWith("LA-U:", StringComparison.OrdinalIgnoreCase) || name.StartsWith("LA-F:", StringComparison.OrdinalIgnoreCase))
        {
            return RewriteLookahead.Variable(name, ctx);
        }

        return null;
    }

    private static string Header(string name, RewriteContext ctx)
    {
        if (!ctx.Request.Request.Headers.TryGetValue(name, out string value))
        {
            return string.Empty;
        }

        // RFC 7231 7.1.4: no "Vary: Host".
        if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
        {
            ctx.AddVaryThis(name);
        }

        return value;
    }

    private static string Address(System.Net.IPAddress a) => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();

    private static string Owner(RequestRecord r, bool group)
    {
        if (r.Filename is null)
        {
            return "<unknown>";
        }

        FileStatus st = FileStatus.Of(r.Filename);
        if (!st.Exists)
        {
            return "<unknown>";
        }

        int id = group ? st.OwnerGid : st.OwnerUid;
        return id.ToString(CultureInfo.InvariantCulture);
    }
}
