using System.Buffers;
using System.Diagnostics;
using System.IO;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;

namespace Pluma.Http.Internal;

/// <summary>
/// The request loop of one connection (Apache's ap_process_http_sync_connection): split by
/// concern into Head (reading and checking the request head), Body (request bodies) and Output
/// (responses). One instance is reused per worker thread; buffers are rented per Serve call.
/// </summary>
internal sealed partial class Http1Connection
{
    private const int InitialInputSize = 8192;
    private const int OutputSize = 16384;

    private readonly HttpServerOptions _options;
    private readonly IHttpApplication _application;
    private readonly IErrorLog? _errorLog;
    private readonly HttpContext _context;
    private readonly string _scoreboardHost;

    private Connection? _transport;

    public Http1Connection(HttpConnectionHandler handler, HttpServerOptions options, IHttpApplication application, IErrorLog? errorLog)
    {
        Handler = handler;
        _options = options;
        _application = application;
        _errorLog = errorLog;
        _context = new HttpContext(this);
        ServerIdentity id = options.Identity;
        _scoreboardHost = id.ServerName + ":" + (id.Port == 0 ? 80 : id.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public HttpConnectionHandler Handler { get; }

    public Connection Transport => _transport ?? throw new InvalidOperationException("No connection is being served.");

    private HttpRequest Request => _context.Request;

    private HttpResponse Response => _context.Response;

    public ConnectionStep Serve(Connection connection)
    {
        _transport = connection;
        _in = ArrayPool<byte>.Shared.Rent(InitialInputSize);
        _out = ArrayPool<byte>.Shared.Rent(OutputSize);
        _inEnd = 0;
        _pos = 0;
        try
        {
            while (true)
            {
                bool keepGoing = ServeRequest(connection);
                if (!keepGoing)
                {
                    connection.Status.SetState(WorkerState.Closing);
                    return ConnectionStep.Close;
                }

                if (_pos < _inEnd)
                {
                    continue; // pipelined: already read, serve it now
                }

                // No poll(2) for requests still in the kernel: every MPM's keep-alive wait sees
                // them at once (event re-arms the socket in its epoll set, worker and prefork
                // wait for readability), and the common case (nothing there) saves a system call.

                connection.KeepAliveTimeout = _options.KeepAliveTimeout;
                connection.Status.SetState(WorkerState.BusyKeepAlive);
                return ConnectionStep.WaitForNextRequest;
            }
        }
        catch (Exception ex) when (ex is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            return ConnectionStep.Close;
        }
        catch (Exception ex)
        {
            // A bug of ours must not take the worker down: log it and drop the connection.
            _errorLog?.Write(LogLevel.Error, "http", "PL00006: Unexpected error serving a connection: " + ex, ClientText());
            return ConnectionStep.Close;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_in);
            ArrayPool<byte>.Shared.Return(_out);
            if (_headScratch is not null)
            {
                ArrayPool<byte>.Shared.Return(_headScratch);
                _headScratch = null;
            }

            _in = [];
            _out = [];
            Request.Headers.Reset([]);
            _transport = null;
        }
    }

    /// <summary>One request, start to log. Returns whether the connection stays open.</summary>
    private bool ServeRequest(Connection connection)
    {
        connection.Status.SetState(WorkerState.BusyRead);
        BeginRequest();
        long started = Stopwatch.GetTimestamp();

        HeadResult head = ReadHead(connection);
        if (head == HeadResult.Closed)
        {
            return false;
        }

        _context.StartTime = _requestTime;
        if (_lineParsed)
        {
            connection.Status.RequestStarted(RequestLineBytes, _scoreboardHost, ProtocolString);
        }

        connection.Status.SetState(WorkerState.BusyWrite);
        if (head == HeadResult.Rejected)
        {
            RejectRequest(_rejection);
        }
        else
        {
            RunApplication();
        }

        if (_keepAlive && !_bodyDone && !TryDrainBody())
        {
            _keepAlive = false;
        }

        connection.Status.SetState(WorkerState.BusyLog);
        _context.Duration = Stopwatch.GetElapsedTime(started);
        try
        {
            _application.LogRequest(_context);
        }
        catch (Exception ex)
        {
            _errorLog?.Write(LogLevel.Error, "http", "PL00007: The log hook failed: " + ex.Message, ClientText());
        }

        connection.Status.RequestFinished(_bytesSent);
        connection.RequestCount++;
        return _keepAlive && !connection.IsDraining;
    }

    private void RunApplication()
    {
        try
        {
            _application.ProcessRequest(_context);
            FinishResponse();
        }
        catch (HttpRequestRejectedException rejected)
        {
            // The body was bad or too slow: Apache answers (if it still can) and closes.
            _connectionClose = true;
            if (!_headSent)
            {
                _context.RejectedByServer = true;
                SendErrorPage(rejected.StatusCode, null, useRequestHost: true, omitContentLength: rejected.StatusCode != 408);
            }
            else
            {
                _keepAlive = false;
            }
        }
        catch (Exception ex) when (ex is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            throw;
        }
        catch (Exception ex)
        {
            _errorLog?.Write(LogLevel.Error, "http", "PL00008: The request handler failed: " + ex.Message, ClientText());
            if (!_headSent)
            {
                SendErrorPage(500, null, useRequestHost: true, omitContentLength: false);
            }
            else
            {
                _keepAlive = false;
            }
        }
    }

    private string? ClientText()
    {
        Connection? c = _transport;
        return c is null ? null : c.RemoteEndPoint.Address + ":" + c.RemoteEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
