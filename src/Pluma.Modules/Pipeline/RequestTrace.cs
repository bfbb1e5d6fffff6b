using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Pipeline;

/// <summary>
/// The trace lines Apache writes for the request phases Pluma has, with Apache's module tags
/// and levels: the request line (protocol.c read_request_line, core trace5), the request
/// headers (http_request.c ap_process_request_internal, http trace4) and an access decision
/// made without authentication (request.c ap_process_request_internal, core trace3). Apache
/// prefixes them with its own source file and line; Pluma has no such lines to cite and leaves
/// that out. Each costs one level test when the LogLevel is below trace.
/// </summary>
internal static class RequestTrace
{
    public static void RequestReceived(RequestRecord r)
    {
        IErrorLog log = r.Server.ErrorLog;
        if (log.IsEnabled(LogLevel.Trace5, "core"))
        {
            log.Write(LogLevel.Trace5, "core", "Request received from client: " + r.Request.RequestLine, LogClient.Of(r));
        }

        if (log.IsEnabled(LogLevel.Trace4, "http"))
        {
            string client = LogClient.Of(r);
            log.Write(LogLevel.Trace4, "http", "Headers received from client:", client);
            HttpRequestHeaders headers = r.Request.Headers;
            for (int i = 0; i < headers.Count; i++)
            {
                log.Write(LogLevel.Trace4, "http", "  " + headers.GetName(i) + ": " + headers.GetValue(i), client);
            }
        }
    }

    public static void AuthorizedWithoutAuthentication(RequestRecord r)
    {
        IErrorLog log = r.Server.ErrorLog;
        if (log.IsEnabled(LogLevel.Trace3, "core"))
        {
            log.Write(LogLevel.Trace3, "core", "request authorized without authentication by access_checker_ex hook: " + r.Uri, LogClient.Of(r));
        }
    }
}
