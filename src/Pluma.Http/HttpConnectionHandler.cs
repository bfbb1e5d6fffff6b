using System.Collections.Generic;
using System.Threading;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// HTTP/1.x on a connection (Apache's ap_process_http_connection): reads requests, hands each
/// to the <see cref="IHttpApplication{TContext}"/>, writes the responses, and gives the connection back
/// to the MPM when it is idle or must close. Thread-safe: one instance serves every worker;
/// the per-connection engines are shared by all workers (see <see cref="_spares"/>).
/// </summary>
public sealed class HttpConnectionHandler : IConnectionHandler
{
    private readonly IHttpApplicationBase _application;
    private readonly HttpServerOptions _options;
    private readonly IErrorLog? _errorLog;

    // Per-connection engines not in use, last freed first, each with its buffers: a child holds
    // as many as it served at once, not one per worker thread that ever served (a threaded
    // child's 25 workers each kept one, whether or not they were busy together); bounded,
    // reused before allocating, dropped when the child goes idle.
    private const int MaxSpares = 256;
    private readonly Stack<Http1Connection> _spares = new();

    // The engine freed last, taken and given back with one atomic exchange before the locked
    // stack: a worker serving one keep-alive request after another takes no lock for it.
    private Http1Connection? _hotSpare;

    public HttpConnectionHandler(IHttpApplicationBase application, HttpServerOptions options, IErrorLog? errorLog = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        _application = application;
        _options = options;
        _errorLog = errorLog;

        // Spare engines keep their buffers: a child gone idle gives them back with the rest
        // (weakly held, so a handler no one serves with any more is not kept alive by it).
        var self = new WeakReference<HttpConnectionHandler>(this);
        IdleMemory.OnRelease(() =>
        {
            if (self.TryGetTarget(out HttpConnectionHandler? handler))
            {
                handler.DropSpares();
            }
        });
    }

    /// <summary>The options this handler applies.</summary>
    public HttpServerOptions Options => _options;

    /// <inheritdoc/>
    public ConnectionStep Serve(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // An idle HTTP/2 connection that waited without a thread goes on as HTTP/2.
        if (connection.ProtocolState is Http2.Http2Connection session)
        {
            return Http1Connection.ResumeHttp2(connection, session);
        }

        // A connection that waited for the rest of its head brings its own parse state.
        Http1Connection? http = connection.ProtocolState as Http1Connection;
        if (http is not null && ReferenceEquals(http.Handler, this))
        {
            connection.ProtocolState = null;
        }
        else
        {
            http = TakeSpare() ?? new Http1Connection(this, _options, _application, _errorLog);
        }

        ConnectionStep step = ConnectionStep.Close;
        try
        {
            step = http.Serve(connection);
            return step;
        }
        finally
        {
            Http2.Http2Connection? parked = http.TakeParkedHttp2();
            if (parked is not null)
            {
                // The connection turned HTTP/2 and waits idle: the session goes with it.
                connection.ProtocolState = parked;
            }

            if (parked is null && http.IsWaitingForInput)
            {
                // The head is incomplete: its bytes and parse state wait with the connection,
                // holding no thread (the MPM calls Serve again, on any worker, when more arrives).
                connection.ProtocolState = http;
            }
            else
            {
                KeepSpare(http);
            }
        }
    }

    private Http1Connection? TakeSpare()
    {
        if (Interlocked.Exchange(ref _hotSpare, null) is { } hot)
        {
            return hot;
        }

        lock (_spares)
        {
            return _spares.Count > 0 ? _spares.Pop() : null;
        }
    }

    /// <summary>
    /// Forgets the spare engines and their buffers (IdleMemory, when the child went idle). The
    /// buffers are left to the collection that follows, not returned to ConnectionBuffers,
    /// whose own release may already have run.
    /// </summary>
    private void DropSpares()
    {
        Interlocked.Exchange(ref _hotSpare, null)?.ForgetBuffers();
        lock (_spares)
        {
            while (_spares.Count > 0)
            {
                _spares.Pop().ForgetBuffers();
            }
        }
    }

    private void KeepSpare(Http1Connection http)
    {
        if (Interlocked.CompareExchange(ref _hotSpare, http, null) is null)
        {
            return;
        }

        lock (_spares)
        {
            if (_spares.Count < MaxSpares)
            {
                _spares.Push(http);
            }
        }
    }
}
