using System.Diagnostics;
using System.IO;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;

namespace Pluma.Http.Internal;

/// <summary>
/// The request loop of one connection (Apache's ap_process_http_sync_connection): split by
/// concern into Head (reading and checking the request head), Body (request bodies) and Output
/// (responses). One instance is reused per worker thread; buffers are rented per Serve call.
/// Its own fields are the connection's (options, buffers, caches); what belongs to one request
/// lives in three structs held by value and reset together in BeginRequest: the head's parse
/// state (<see cref="HeadParseState"/>), the body's (<see cref="RequestBodyState"/>) and the
/// response's (<see cref="ResponseState"/>).
/// </summary>
internal sealed partial class Http1Connection : IDisposable
{
    private const int InitialInputSize = ConnectionBuffers.InputSize;
    private const int OutputSize = ConnectionBuffers.OutputSize;

    private readonly HttpServerOptions _options;
    private readonly ApplicationScope _application;
    private readonly IErrorLog? _errorLog;
    private readonly HttpContext _context;
    private readonly string _scoreboardHost;

    private Connection? _transport;
    private bool _waitingForInput;

    /// <summary>With <see cref="_waitingForInput"/>: what waits is a whole pipelined request, not part of a head.</summary>
    private bool _nextRequestBuffered;

    public Http1Connection(HttpConnectionHandler handler, HttpServerOptions options, IHttpApplicationBase application, IErrorLog? errorLog)
    {
        Handler = handler;
        _options = options;
        _application = application.CreateScope();
        _errorLog = errorLog;
        _context = new HttpContext(this);
        ServerIdentity id = options.Identity;
        _scoreboardHost = id.ServerName + ":" + (id.Port == 0 ? 80 : id.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public HttpConnectionHandler Handler { get; }

    public Connection Transport => _transport ?? throw new InvalidOperationException("No connection is being served.");

    private HttpRequest Request => _context.Request;

    private HttpResponse Response => _context.Response;

    /// <summary>
    /// True while a request head is waiting for input: this instance then belongs to the
    /// connection (its <see cref="Connection.ProtocolState"/>) until the head is complete.
    /// </summary>
    public bool IsWaitingForInput => _waitingForInput;

    public ConnectionStep Serve(Connection connection)
    {
        _transport = connection;
        // Resuming a head cut short, or starting a pipelined request already in the buffer.
        bool buffered = _waitingForInput && _nextRequestBuffered;
        bool resuming = _waitingForInput && !_nextRequestBuffered;
        _waitingForInput = false;
        _nextRequestBuffered = false;
        if (!resuming && !buffered)
        {
            // A spare engine brings the buffers it served its last connection with (see the finally below).
            if (_in.Length == 0)
            {
                _in = ConnectionBuffers.Rent(InitialInputSize);
            }

            _inEnd = 0;
            _pos = 0;
        }
        else if (_in.Length == 0)
        {
            _in = ConnectionBuffers.Rent(InitialInputSize);
            Request.Headers.Rebase(_in);
        }

        if (_out.Length == 0)
        {
            _out = ConnectionBuffers.Rent(OutputSize);
        }

        try
        {
            while (true)
            {
                RequestOutcome outcome = ServeRequest(connection, resuming);
                resuming = false;
                if (outcome == RequestOutcome.WaitForInput)
                {
                    _waitingForInput = true;
                    return ConnectionStep.WaitForInput;
                }

                if (outcome == RequestOutcome.NoRequestYet)
                {
                    // Handed over with nothing to read (a wake for input an earlier read took):
                    // still between requests, so the wait goes on as keep-alive, KeepAliveTimeout
                    // again from now (as Apache's event re-queues such a connection), not as a
                    // head that has begun, whose RequestReadTimeout header= stage would close an
                    // idle client early or hold a worker for it.
                    connection.KeepAliveTimeout = _options.KeepAliveTimeout;
                    connection.Status.SetState(WorkerState.BusyKeepAlive);
                    return ConnectionStep.WaitForNextRequest;
                }

                if (outcome == RequestOutcome.Http2Parked)
                {
                    // The connection turned HTTP/2 and is idle: it waits without a thread (TakeParkedHttp2).
                    return ConnectionStep.WaitForInput;
                }

                if (outcome == RequestOutcome.Close)
                {
                    connection.Status.SetState(WorkerState.Closing);
                    return ConnectionStep.Close;
                }

                if (_pos < _inEnd)
                {
                    if (connection.HasPendingOutput)
                    {
                        // The client has not taken the last response yet: serving the pipelined
                        // request now would wait for it on this thread (a slow reader that
                        // pipelines would hold a worker). Its bytes wait with the connection.
                        _waitingForInput = true;
                        _nextRequestBuffered = true;
                        return ConnectionStep.ResumeWhenWritten;
                    }

                    continue; // pipelined: already read, serve it now
                }

                // No poll(2) for requests still in the kernel: every MPM's keep-alive wait sees
                // them at once (event's park looks when input came while a worker held the socket
                // or a read filled its buffer; worker and prefork wait for readability), and the
                // common case (nothing there) saves a system call.

                connection.KeepAliveTimeout = _options.KeepAliveTimeout;
                connection.Status.SetState(WorkerState.BusyKeepAlive);
                return ConnectionStep.WaitForNextRequest;
            }
        }
        catch (Exception ex) when (ex is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            _waitingForInput = false;
            return ConnectionStep.Close;
        }
        catch (Exception ex)
        {
            // A bug of ours must not take the worker down: log it and drop the connection.
            _waitingForInput = false;
            _errorLog?.Write(LogLevel.Error, "http", "PL00006: Unexpected error serving a connection: " + ex, ClientText());
            return ConnectionStep.Close;
        }
        finally
        {
            if (_waitingForInput)
            {
                // This engine waits with the connection, holding no thread: only the head's bytes
                // wait with it; with none yet, not even a buffer.
                ReleaseOutput();
                if (_inEnd == 0)
                {
                    ReleaseInput();
                }
            }
            else
            {
                // This engine goes back to the handler's spares with its buffers, so the next
                // request any worker serves with it takes none from ConnectionBuffers (six locked
                // stack operations a request, about 800 instructions). Spares are as many as were
                // served at once, as the buffers were; IdleMemory drops them (HttpConnectionHandler).
                // A buffer that grew past its usual size goes back now.
                if (_in.Length != InitialInputSize)
                {
                    ReleaseInput();
                }

                if (_headScratch is not null && _headScratch.Length != ConnectionBuffers.ScratchSize)
                {
                    ConnectionBuffers.Return(_headScratch);
                    _headScratch = null;
                }
            }

            _transport = null;
        }
    }

    /// <summary>Drops every buffer without returning it (a spare engine, when the child gives memory back).</summary>
    public void ForgetBuffers()
    {
        _in = [];
        _out = [];
        _headScratch = null;
        Request.Headers.Reset([]);
    }

    /// <summary>Gives the output buffer and the head's scratch back (this engine waits with its connection, or is dropped).</summary>
    public void ReleaseOutput()
    {
        if (_out.Length != 0)
        {
            ConnectionBuffers.Return(_out);
            _out = [];
        }

        if (_headScratch is not null)
        {
            ConnectionBuffers.Return(_headScratch);
            _headScratch = null;
        }
    }

    /// <summary>Gives the input buffer back (the connection closed, or the head no longer needs it).</summary>
    public void ReleaseInput()
    {
        if (_in.Length != 0)
        {
            ConnectionBuffers.Return(_in);
        }

        _in = [];
        Request.Headers.Reset([]);
    }

    /// <summary>The connection closed while its head was waiting: forget the request.</summary>
    public void Dispose()
    {
        _waitingForInput = false;
        _nextRequestBuffered = false;
        ReleaseInput();
        _inEnd = 0;
        _pos = 0;
    }

    private enum RequestOutcome
    {
        KeepAlive,
        Close,
        WaitForInput,
        NoRequestYet,
        Http2Parked,
    }

    /// <summary>The request's virtual host for the scoreboard: its name and this connection's local port.</summary>
    internal void ReportVirtualHost(string serverName)
    {
        if (_transport is not { } connection)
        {
            return;
        }

        Span<char> text = stackalloc char[64];
        int n = Math.Min(serverName.Length, text.Length - 7);
        serverName.AsSpan(0, n).CopyTo(text);
        text[n++] = ':';
        connection.LocalEndPoint.Port.TryFormat(text[n..], out int w, default, System.Globalization.CultureInfo.InvariantCulture);
        connection.Status.VirtualHostChosen(text[..(n + w)]);
    }

    /// <summary>One request, start to log (or, resuming, from where its head stopped).</summary>
    private RequestOutcome ServeRequest(Connection connection, bool resuming)
    {
        connection.Status.SetState(WorkerState.BusyRead);
        if (!resuming)
        {
            BeginRequest();
            BeginHead();
        }

        HeadResult head = ReadHead(connection);
        if (head == HeadResult.WaitForInput)
        {
            return RequestOutcome.WaitForInput;
        }

        if (head == HeadResult.NoRequestYet)
        {
            return RequestOutcome.NoRequestYet;
        }

        if (head == HeadResult.Closed)
        {
            return RequestOutcome.Close;
        }

        if (head == HeadResult.Http2Preface)
        {
            return ServeHttp2(connection, _in.AsSpan(_pos, _inEnd - _pos)) ? RequestOutcome.Http2Parked : RequestOutcome.Close;
        }

        _context.StartTime = _parse.RequestTime;
        if (_parse.LineParsed)
        {
            ReportRequestStarted(connection);
        }

        _application.Begin(_context);
        try
        {
            connection.Status.SetState(WorkerState.BusyWrite);
            if (head == HeadResult.Rejected)
            {
                RejectRequest(_parse.Rejection);
            }
            else
            {
                RunApplication();
            }

            if (_response.KeepAlive && !_body.Done && !TryDrainBody())
            {
                _response.KeepAlive = false;
            }

            connection.Status.SetState(WorkerState.BusyLog);
            _context.Duration = Stopwatch.GetElapsedTime(_parse.Started);
            try
            {
                _application.Log();
            }
            catch (Exception ex)
            {
                _errorLog?.Write(LogLevel.Error, "http", "PL00007: The log hook failed: " + ex.Message, ClientText());
            }
        }
        finally
        {
            // Also when the connection failed mid-request: the application's state for it ends here.
            _application.End();
        }

        connection.Status.RequestFinished(_response.BytesSent);
        connection.RequestCount++;
        if (_context.SwitchToHttp2 is { } http2 && Response.StatusCode == 101)
        {
            return UpgradeToHttp2(connection, http2) ? RequestOutcome.Http2Parked : RequestOutcome.Close;
        }

        // Not IsDraining here: the head already told the client the connection stays open, and
        // its next request may be on the way; a draining child answers that one with
        // Connection: close (DecideKeepAlive) and closes after it.
        if (_response.KeepAlive)
        {
            return RequestOutcome.KeepAlive;
        }

        // The client asked to close, and nothing of what it sent is left unread: no lingering close.
        connection.ClientSentAll = head == HeadResult.Ok && _body.Done && _pos >= _inEnd
            && (_parse.Head.ClientConnectionClose || (_parse.Line.Version < 1001 && !_parse.Head.ClientKeepAlive));
        return RequestOutcome.Close;
    }

    private void RunApplication()
    {
        try
        {
            _application.Process();
            if (_context.SwitchToHttp2 is not null && !_response.HeadSent)
            {
                SendSwitchingProtocols();
                return;
            }

            FinishResponse();
        }
        catch (HttpRequestRejectedException rejected)
        {
            // The body was bad or too slow: Apache answers (if it still can) and closes.
            _response.ConnectionClose = true;
            if (!_response.HeadSent)
            {
                _context.RejectedByServer = true;
                SendErrorPage(rejected.StatusCode, null, useRequestHost: true, omitContentLength: rejected.StatusCode != 408);
            }
            else
            {
                _response.KeepAlive = false;
            }
        }
        catch (Exception ex) when (ex is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            throw;
        }
        catch (Exception ex)
        {
            _errorLog?.Write(LogLevel.Error, "http", "PL00008: The request handler failed: " + ex.Message, ClientText());
            if (!_response.HeadSent)
            {
                SendErrorPage(500, null, useRequestHost: true, omitContentLength: false);
            }
            else
            {
                _response.KeepAlive = false;
            }
        }
    }

    private string? ClientText()
    {
        Connection? c = _transport;
        return c is null ? null : c.RemoteEndPoint.Address + ":" + c.RemoteEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
