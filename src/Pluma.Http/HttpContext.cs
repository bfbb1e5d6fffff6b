using Pluma.Connections;
using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// One request and its response (Apache's request_rec, the parts HTTP owns). The object is
/// pooled per worker thread and reused for the next request: never keep it after
/// <see cref="IHttpApplication{TContext}.DisposeContext"/>.
/// </summary>
public sealed class HttpContext
{
    private readonly Http1Connection _owner;

    internal HttpContext(Http1Connection owner)
    {
        _owner = owner;
        Request = new HttpRequest(owner);
        Response = new HttpResponse(owner);
    }

    /// <summary>The request as received.</summary>
    public HttpRequest Request { get; }

    /// <summary>The response being built.</summary>
    public HttpResponse Response { get; }

    /// <summary>The client connection (endpoints, id).</summary>
    public Connection Connection => _owner.Transport;

    /// <summary>
    /// LimitRequestBody for this request in bytes, 0 for no limit; Apache 2.4.54+ defaults to
    /// 1 GiB. Set it before reading the body; a larger body is answered with 413.
    /// </summary>
    public long LimitRequestBody { get; set; } = HttpContextDefaults.LimitRequestBody;

    /// <summary>Set false to close the connection after this response (Apache's nokeepalive).</summary>
    public bool KeepAlive { get; set; } = true;

    /// <summary>
    /// Answer an HTTP/1.1 request as if it were HTTP/1.0 (the "downgrade-1.0" variable): no chunked
    /// body, no keep-alive unless asked for (http_filters.c basic_http_header_check).
    /// </summary>
    public bool DowngradeToHttp10 { get; set; }

    /// <summary>
    /// "HTTP/1.0" on the status line of a response to an HTTP/1.0 request, and a close (the
    /// "force-response-1.0" variable, http_filters.c basic_http_header_check).
    /// </summary>
    public bool ForceResponseHttp10 { get; set; }

    /// <summary>
    /// Set by the application while it reads the request (mod_http2's post_read_request, RFC 7540
    /// 3.2): answer with 101 Switching Protocols and serve this request again as HTTP/2 stream 1,
    /// with these options. The engine does the switch once the application returns.
    /// </summary>
    public Http2.Http2Options? SwitchToHttp2 { get; set; }

    /// <summary>The server identity used by error pages (the application sets the vhost's).</summary>
    public ServerIdentity Identity { get; set; } = new();

    /// <summary>
    /// The application chose the request's virtual host: the scoreboard's VHost column shows
    /// <paramref name="serverName"/> and the connection's local port (scoreboard.c
    /// update_child_status_internal: server_hostname ":" local_addr->port). Allocates nothing.
    /// </summary>
    public void ReportVirtualHost(string serverName) => _owner.ReportVirtualHost(serverName);

    /// <summary>When the request line started to arrive (Apache's request_time, %t).</summary>
    public DateTime StartTime { get; internal set; }

    /// <summary>How long the request took, up to the end of the response (%D); set before LogRequest.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Whether the engine answered this request itself (a rejection) without running the application.</summary>
    public bool RejectedByServer { get; internal set; }

    /// <summary>
    /// Answers with Apache's generated page for <paramref name="statusCode"/> (ap_send_error_response):
    /// title, heading, the status's paragraph, and the ServerSignature footer. <paramref name="errorNotes"/>
    /// is Apache's "error-notes" text for the statuses that show it (400, 414, 501...).
    /// </summary>
    public void SendErrorPage(int statusCode, string? errorNotes = null) => _owner.SendErrorPage(statusCode, errorNotes, useRequestHost: true, omitContentLength: false);

    internal Http1Connection Owner => _owner;

    /// <summary>An error page whose length is not announced (chunked, or up to the close), as Apache's filter-made errors.</summary>
    internal void SendUnframedErrorPage(int statusCode) => _owner.SendErrorPage(statusCode, null, useRequestHost: true, omitContentLength: true);

    internal void Reset(ServerIdentity identity)
    {
        LimitRequestBody = HttpContextDefaults.LimitRequestBody;
        KeepAlive = true;
        DowngradeToHttp10 = ForceResponseHttp10 = false;
        SwitchToHttp2 = null;
        Identity = identity;
        Duration = TimeSpan.Zero;
        RejectedByServer = false;
    }
}
