using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Proxy;

/// <summary>
/// What every scheme module shares (proxy_util.c): taking a request that is theirs, finding
/// its worker, connecting with Apache's log lines, and ap_proxyerror's answer.
/// </summary>
public static class ProxyRequest
{
    /// <summary>
    /// A "proxy:..." handler (SetHandler "proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost")
    /// turns the file into a proxy URL (proxy_handler: r->filename = r->handler + r->filename).
    /// </summary>
    internal static int FixupHandler(RequestRecord r)
    {
        string? handler = r.Handler;
        if (handler is null || !handler.StartsWith("proxy:", StringComparison.Ordinal) || r.Filename is null
            || r.Filename.StartsWith("proxy:", StringComparison.Ordinal))
        {
            return HookResult.Declined;
        }

        r.Filename = handler + r.Filename;
        r.Handler = ProxyModule.HandlerName;
        r.Notes["proxy-sethandler"] = "1";
        return HookResult.Declined;
    }

    /// <summary>
    /// The backend URL of a request for <paramref name="scheme"/> ("http", "fcgi"), or null when
    /// the request is not a proxy request of that scheme.
    /// </summary>
    public static string? UrlFor(RequestRecord r, string scheme)
    {
        if (r.Handler != ProxyModule.HandlerName || r.Filename is not { } file || !file.StartsWith("proxy:", StringComparison.Ordinal))
        {
            return null;
        }

        string url = file[6..];
        if (!ProxyUrl.TryParse(url, out _, out string s, out _, out _, out _) || s != scheme)
        {
            return null;
        }

        return url;
    }

    /// <summary>
    /// ap_proxy_pre_request: the worker that serves <paramref name="url"/> (the longest defined
    /// worker name it starts with, else one made for its scheme, host and port) and the
    /// canonical path (proxy_http_canon: re-encoded unless nocanon) and query.
    /// </summary>
    public static ProxyTarget? Resolve(RequestRecord r, string url)
    {
        if (!ProxyUrl.TryParse(url, out string? socket, out string scheme, out string host, out int port, out string path))
        {
            return null;
        }

        ProxyServerConfig conf = ProxyModule.ServerConfig(r);
        string bare = socket is null ? url : url[(url.IndexOf('|', StringComparison.Ordinal) + 1)..];
        ProxyWorker? best = null;
        foreach (ProxyWorker w in conf.Workers)
        {
            if (w.SocketPath == socket && bare.StartsWith(w.Name, StringComparison.OrdinalIgnoreCase) && (best is null || w.Name.Length > best.Name.Length))
            {
                best = w;
            }
        }

        if (best is null)
        {
            // proxy_pre_request's note for mod_proxy_http (and the FastCGI environment): the default worker keeps no connection.
            r.Environment["proxy-nokeepalive"] = "1";
            string key = (socket is null ? string.Empty : "unix:" + socket + "|") + scheme + "://" + host + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Apache's default reverse-proxy worker serves a URL no worker was defined for (RewriteRule
            // [P], SetHandler proxy:): its connections are not kept ("Connection: close").
            best = conf.ImplicitWorkers.GetOrAdd(key, _ => new ProxyWorker(key, scheme, host.Length == 0 ? "localhost" : host, port, socket) { DisableReuse = true });
        }

        bool noCanon = r.Notes.ContainsKey("proxy-nocanon");
        string? query = null;
        int q = path.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = path[(q + 1)..];
            path = path[..q];
        }

        if (!noCanon)
        {
            path = ProxyUrl.EncodePath(path);
        }

        if (path.Length == 0)
        {
            path = "/";
        }

        if (!noCanon && !r.Notes.ContainsKey("proxy-noquery") && r.Args is not null)
        {
            query = r.Args;
        }

        return new ProxyTarget(best, url, path, query);
    }

    /// <summary>The read/write timeout: the worker's timeout=, else ProxyTimeout, else Timeout.</summary>
    public static TimeSpan TimeoutFor(RequestRecord r, ProxyWorker w) =>
        w.Timeout ?? ProxyModule.ServerConfig(r).Timeout ?? r.Server.Core.Timeout ?? TimeSpan.FromSeconds(60);

    /// <summary>
    /// An idle pooled connection or a new one (ap_proxy_acquire_connection and
    /// ap_proxy_connect_backend). On failure logs AH00957 and returns null; the caller answers 503.
    /// </summary>
    public static BackendConnection? Connect(RequestRecord r, ProxyWorker w, string function, bool allowReuse = true)
    {
        TimeSpan timeout = TimeoutFor(r, w);
        if (allowReuse && w.TakeIdle() is { } idle)
        {
            idle.SetTimeout(timeout);
            return idle;
        }

        try
        {
            return BackendConnection.Connect(w.EndPoint, w.ConnectTimeout ?? timeout, timeout);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            if (w.SocketPath is not null)
            {
                // .NET reports a missing socket file (ENOENT) as AddressNotAvailable.
                string errno = e.SocketErrorCode == System.Net.Sockets.SocketError.AddressNotAvailable ? "(2)No such file or directory: " : ErrnoText(e);
                r.Server.ErrorLog.Write(LogLevel.Error, "proxy",
                    errno + "AH02454: " + function + ": attempt to connect to Unix domain socket " + w.SocketPath + " (" + w.Host + ":" + w.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ") failed");
                return null;
            }

            string target = w.Host + ":" + w.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy",
                ErrnoText(e) + "AH00957: " + function + ": attempt to connect to " + target + " (" + target + ") failed");
            return null;
        }
    }

    /// <summary>Apache's "(errno)text: " prefix for a socket error.</summary>
    public static string ErrnoText(System.Net.Sockets.SocketException e)
    {
        (int errno, string text) = e.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => (111, "Connection refused"),
            System.Net.Sockets.SocketError.TimedOut => (70007, "The timeout specified has expired"),
            System.Net.Sockets.SocketError.ConnectionReset => (104, "Connection reset by peer"),
            System.Net.Sockets.SocketError.HostUnreachable => (113, "No route to host"),
            System.Net.Sockets.SocketError.NetworkUnreachable => (101, "Network is unreachable"),
            System.Net.Sockets.SocketError.AddressNotAvailable => (99, "Cannot assign requested address"),
            System.Net.Sockets.SocketError.HostNotFound => (670002, "Name or service not known"),
            _ => (e.ErrorCode, e.Message),
        };
        if (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressNotAvailable && e.Message.Contains("No such file", StringComparison.Ordinal))
        {
            (errno, text) = (2, "No such file or directory");
        }

        return "(" + errno.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" + text + ": ";
    }

    /// <summary>
    /// ap_proxyerror: the page's reason ("Proxy Error"), error-notes with the reason, AH00898.
    /// Returns <paramref name="status"/> for the handler to return.
    /// </summary>
    public static int ProxyError(RequestRecord r, int status, string message)
    {
        r.Notes["error-notes"] = "The proxy server could not handle the request<p>Reason: <strong>" + System.Net.WebUtility.HtmlEncode(message) + "</strong></p>";
        r.Response.StatusCode = status;
        r.Response.ReasonPhrase = "Proxy Error";
        r.Server.ErrorLog.Write(LogLevel.Error, "proxy", "AH00898: " + message + " returned by " + r.Uri, LogClient.Of(r));
        return status;
    }
}
