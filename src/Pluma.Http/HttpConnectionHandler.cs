using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// HTTP/1.x on a connection (Apache's ap_process_http_connection): reads requests, hands each
/// to the <see cref="IHttpApplication"/>, writes the responses, and gives the connection back
/// to the MPM when it is idle or must close. Thread-safe: one instance serves every worker;
/// the per-request objects are pooled per worker thread.
/// </summary>
public sealed class HttpConnectionHandler : IConnectionHandler
{
    [ThreadStatic]
    private static Http1Connection? t_cached;

    private readonly IHttpApplication _application;
    private readonly HttpServerOptions _options;
    private readonly IErrorLog? _errorLog;

    public HttpConnectionHandler(IHttpApplication application, HttpServerOptions options, IErrorLog? errorLog = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        _application = application;
        _options = options;
        _errorLog = errorLog;
    }

    /// <summary>The options this handler applies.</summary>
    public HttpServerOptions Options => _options;

    /// <inheritdoc/>
    public ConnectionStep Serve(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Http1Connection? http = t_cached;
        if (http is null || !ReferenceEquals(http.Handler, this))
        {
            http = new Http1Connection(this, _options, _application, _errorLog);
        }

        // Taken off the thread while in use, so a re-entrant Serve (never expected) gets its own.
        t_cached = null;
        try
        {
            return http.Serve(connection);
        }
        finally
        {
            t_cached = http;
        }
    }
}
