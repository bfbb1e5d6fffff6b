using System.Diagnostics;
using System.Text;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Protocol;

namespace Pluma.Http.Internal;

internal enum HeadResult
{
    Ok,
    Rejected,

    /// <summary>Nothing to answer: the client left, or timed out before a whole request line.</summary>
    Closed,

    /// <summary>The HTTP/2 connection preface arrived (h2c by prior knowledge, RFC 9113 3.3).</summary>
    Http2Preface,

    /// <summary>The head is incomplete and nothing more has arrived: give the connection back until it has.</summary>
    WaitForInput,

    /// <summary>
    /// A keep-alive connection was handed over with nothing of a new request to read (the event
    /// MPM's wake for input that an earlier read took): it is still between requests.
    /// </summary>
    NoRequestYet,
}

internal sealed partial class Http1Connection
{
    private byte[] _in = [];
    private int _inEnd;
    private int _pos;

    /// <summary>This head's parse state (replaced with the request in BeginRequest).</summary>
    private HeadParseState _parse;

    private readonly RecentString _recentHost = new();
    private readonly RecentString _recentPath = new();

    public ref readonly StartLine Line => ref _parse.Line;

    public string MethodName => _parse.MethodName ??= _parse.Line.Method != HttpMethod.Unknown
        ? HttpMethods.Name(_parse.Line.Method)
        : Encoding.Latin1.GetString(_in, _parse.Line.MethodStart, _parse.Line.MethodLength);

    public ReadOnlySpan<byte> RequestLineBytes => _parse.LineParsed ? _in.AsSpan(_parse.Line.LineStart, _parse.Line.LineLength) : default;

    public string RequestLineString => _parse.RequestLineString ??= Encoding.Latin1.GetString(RequestLineBytes);

    public ReadOnlySpan<byte> RawTargetBytes => _parse.LineParsed ? _in.AsSpan(_parse.Line.TargetStart, _parse.Line.TargetLength) : default;

    public string RawTargetString => _parse.RawTargetString ??= Encoding.Latin1.GetString(RawTargetBytes);

    public ReadOnlySpan<byte> RawPathBytes => _parse.LineParsed ? _in.AsSpan(_parse.Target.PathStart, _parse.Target.PathLength) : default;

    public string DecodedPath
    {
        get
        {
            if (_parse.DecodedPath is null)
            {
                ReadOnlySpan<byte> raw = RawPathBytes;
                if (raw.IsEmpty)
                {
                    _parse.DecodedPath = "/";
                }
                else if (raw is [(byte)'*'])
                {
                    _parse.DecodedPath = "*";
                }
                else if (!_recentPath.TryGet(raw, out _parse.DecodedPath))
                {
                    _parse.DecodedPath = UrlPath.Normalize(UrlPath.Decode(raw, decodeSlashes: false)) ?? "/";
                    _recentPath.Set(raw, _parse.DecodedPath);
                }
            }

            return _parse.DecodedPath;
        }
    }

    public string? QueryString
    {
        get
        {
            if (!_parse.QueryParsed)
            {
                _parse.QueryParsed = true;
                _parse.QueryString = _parse.Target.QueryStart < 0 ? null : Encoding.Latin1.GetString(_in, _parse.Target.QueryStart, _parse.Target.QueryLength);
            }

            return _parse.QueryString;
        }
    }

    public string ProtocolString => _transport?.RequestProtocol ?? _parse.Line.Version switch
    {
        1001 => "HTTP/1.1",
        1000 => "HTTP/1.0",
        9 => "HTTP/0.9",
        _ => "HTTP/" + (_parse.Line.Version / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + (_parse.Line.Version % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string? HostName
    {
        get
        {
            if (!_parse.HostParsed)
            {
                _parse.HostParsed = true;
                if (_parse.Head.HostValid && _parse.Head.HostLength > 0)
                {
                    ReadOnlySpan<byte> raw = _in.AsSpan(_parse.Head.HostStart, _parse.Head.HostLength);
                    if (!_recentHost.TryGet(raw, out _parse.HostName))
                    {
                        _parse.HostName = Encoding.Latin1.GetString(raw).ToLowerInvariant();
                        _recentHost.Set(raw, _parse.HostName);
                    }
                }
                else
                {
                    _parse.HostName = null;
                }
            }

            return _parse.HostName;
        }
    }

    public int HostPort => _parse.Head.HostValid ? _parse.Head.HostPort : 0;

    private void BeginRequest()
    {
        // Move a pipelined request (or nothing) to the front of the buffer.
        int leftover = _inEnd - _pos;
        if (leftover > 0 && _pos > 0)
        {
            Buffer.BlockCopy(_in, _pos, _in, 0, leftover);
        }

        _inEnd = leftover;
        _pos = 0;

        // Every per-request fact of the engine starts over here, and only here.
        _parse.Reset(DateTime.UtcNow);
        _response = default;
        _body = default;
        Request.Headers.Reset(_in);
        Request.ResetUseragent();
        Response.Reset();
        _context.Reset(_options.Identity);
    }

    private struct HeadersHandler(HttpRequestHeaders headers) : IHttpHeadersHandler
    {
        public readonly void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength) =>
            headers.Add(nameStart, nameLength, valueStart, valueLength);

        public readonly int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength) =>
            headers.Fold(valueStart, valueLength);
    }

    /// <summary>
    /// Starts the clock of mod_reqtimeout's header stage (mod_reqtimeout.c: from the first read of
    /// a new connection, from the first byte of a keep-alive request, which the MPM's keep-alive
    /// wait hands over).
    /// </summary>
    private void BeginHead()
    {
        RequestReadTimeout stage = _options.HeaderReadTimeout;
        long start = Stopwatch.GetTimestamp();
        _parse.Started = start;
        _parse.Deadline = stage.Initial > TimeSpan.Zero ? start + ToTicks(stage.Initial) : long.MaxValue;
        _parse.HardLimit = stage.Maximum > TimeSpan.Zero ? start + ToTicks(stage.Maximum) : long.MaxValue;
    }

    private HeadResult ReadHead(Connection connection)
    {
        var handler = new HeadersHandler(Request.Headers);
        while (true)
        {
            ReadOnlySpan<byte> data = _in.AsSpan(0, _inEnd);
            ParseResult result;
            if (_pos == 0 && _inEnd == 0 && !_parse.LineParsed && connection.ApplicationProtocol == "h2" && connection.RequestCount == 0)
            {
                return HeadResult.Http2Preface; // TLS chose h2 by ALPN (RFC 9113 3.2)
            }

            bool prefaceSoFar = false;
            if (!_parse.LineParsed && connection.RequestCount == 0 && _options.Http2 is not null && (_options.Http2DirectAt?.Invoke(connection.LocalEndPoint) ?? _options.Http2Direct))
            {
                // h2c by prior knowledge: the preface instead of the first request line (H2Direct;
                // mod_http2 looks only while c->keepalives is 0, later it is an HTTP/1.1 request line).
                ReadOnlySpan<byte> preface = Pluma.Http.Http2.Http2FrameWriter.ClientPreface;
                ReadOnlySpan<byte> rest = data[_pos..];
                int m = Math.Min(rest.Length, preface.Length);
                if (m > 0 && rest[..m].SequenceEqual(preface[..m]))
                {
                    if (m == preface.Length)
                    {
                        return HeadResult.Http2Preface;
                    }

                    prefaceSoFar = true;
                }
            }

            if (!_parse.LineParsed && !prefaceSoFar)
            {
                result = HttpParser.TakeStartLine(data, ref _pos, _options, out _parse.Line, out _parse.Rejection);
                if (result == ParseResult.Done)
                {
                    _parse.LineParsed = true;
                    MarkStreamProtocol(connection);
                    _parse.Target = RequestTarget.Split(_in.AsSpan(_parse.Line.TargetStart, _parse.Line.TargetLength), _parse.Line.TargetStart);
                    if (_parse.Line.Version == 9)
                    {
                        _parse.HeadEnd = _pos;
                        return HeadResult.Ok; // HTTP/0.9 has no header section
                    }
                }
                else if (result == ParseResult.Rejected)
                {
                    return HeadResult.Rejected;
                }
            }

            if (_parse.LineParsed)
            {
                result = HttpParser.TakeHeaders(data, ref _pos, ref _parse.FieldCount, _options, ref handler, out _parse.Rejection);
                if (result == ParseResult.Done)
                {
                    _parse.HeadEnd = _pos;
                    _parse.Rejection = RequestHeadRules.Validate(_in, Request.Headers, in _parse.Line, in _parse.Target, _options, out _parse.Head);
                    return _parse.Rejection == RequestRejection.None ? HeadResult.Ok : HeadResult.Rejected;
                }

                if (result == ParseResult.Rejected)
                {
                    return HeadResult.Rejected;
                }
            }

            if (_inEnd == _in.Length && !GrowInput())
            {
                _parse.Rejection = _parse.LineParsed ? RequestRejection.FieldTooLong : RequestRejection.RequestLineTooLong;
                return HeadResult.Rejected;
            }

            int n;
            try
            {
                n = ReceiveHeadBytes(connection, betweenRequests: _inEnd == 0 && !_parse.LineParsed && connection.RequestCount > 0);
            }
            catch (ConnectionTimeoutException)
            {
                LogReqtimeout(_options.HeaderReadTimeout, "AH01382: Request header read timeout");

                // mod_reqtimeout: 408 once a request line is in; before that Apache just closes.
                if (!_parse.LineParsed)
                {
                    return HeadResult.Closed;
                }

                _parse.Rejection = RequestRejection.Timeout;
                return HeadResult.Rejected;
            }
            catch (ConnectionResetException)
            {
                return HeadResult.Closed;
            }

            if (n == NothingOfANewRequest)
            {
                return HeadResult.NoRequestYet;
            }

            if (n < 0)
            {
                return HeadResult.WaitForInput;
            }

            if (n == 0)
            {
                return HeadResult.Closed;
            }

            if (_inEnd == 0 && _pos == 0 && !_parse.LineParsed)
            {
                _parse.RequestTime = DateTime.UtcNow;
            }

            _inEnd += n;
            _parse.Deadline = Extend(_parse.Deadline, _parse.HardLimit, n, _options.HeaderReadTimeout.MinRate);
        }
    }

    // ReceiveHeadBytes: nothing has arrived on a connection that is between requests.
    private const int NothingOfANewRequest = -2;

    /// <summary>
    /// Reads more of the head: what has arrived, or -1 (with <see cref="Connection.InputDeadline"/>
    /// set) when nothing has and the MPM can wait for it without this thread. A connection whose
    /// MPM is stopping waits here instead, as Apache's workers do. Throws
    /// <see cref="ConnectionTimeoutException"/> when the stage's deadline, or Timeout since the
    /// last byte, has passed. With <paramref name="betweenRequests"/> (a keep-alive connection, no
    /// byte of its next request read yet) nothing there is <see cref="NothingOfANewRequest"/>:
    /// the wait for a request that has not begun is KeepAliveTimeout's, not the header stage's.
    /// Part of a TLS record counts as begun (<see cref="Connection.HoldsPartialInput"/>): a client
    /// that trickles a record stays bounded by the header stage, as before.
    /// </summary>
    private int ReceiveHeadBytes(Connection connection, bool betweenRequests)
    {
        long now = Stopwatch.GetTimestamp();
        TimeSpan timeout = ReadTimeout(now, _parse.Deadline);
        Span<byte> free = _in.AsSpan(_inEnd);
        int n = connection.ReceiveIfReady(free, timeout);
        if (n >= 0)
        {
            _parse.InputWaitUntilMs = 0;
            return n;
        }

        if (betweenRequests && !connection.HoldsPartialInput)
        {
            return NothingOfANewRequest;
        }

        long nowMs = Environment.TickCount64;
        if (_parse.InputWaitUntilMs != 0 && nowMs >= _parse.InputWaitUntilMs)
        {
            throw new ConnectionTimeoutException("recv: timed out");
        }

        if (connection.IsDraining)
        {
            n = connection.Receive(free, timeout);
            _parse.InputWaitUntilMs = 0;
            return n;
        }

        if (_parse.InputWaitUntilMs == 0)
        {
            // Core's Timeout counts from the last byte; the stage's deadline caps it (ReadTimeout).
            _parse.InputWaitUntilMs = nowMs + (long)Math.Ceiling(timeout.TotalMilliseconds);
        }

        connection.InputDeadline = _parse.InputWaitUntilMs;
        return -1;
    }

    /// <summary>
    /// mod_reqtimeout's line when its stage (not core's Timeout) ended a read
    /// (mod_reqtimeout.c reqtimeout_filter: "Request %s read timeout", at info).
    /// </summary>
    private void LogReqtimeout(RequestReadTimeout stage, string message)
    {
        if (stage.Initial > TimeSpan.Zero && _errorLog is not null && _errorLog.IsEnabled(LogLevel.Info, "reqtimeout"))
        {
            _errorLog.Write(LogLevel.Info, "reqtimeout", message, ClientText());
        }
    }

    private TimeSpan ReadTimeout(long now, long deadline)
    {
        if (deadline == long.MaxValue)
        {
            return _options.Timeout;
        }

        TimeSpan left = Stopwatch.GetElapsedTime(now, deadline);
        if (left <= TimeSpan.Zero)
        {
            throw new ConnectionTimeoutException();
        }

        return left < _options.Timeout ? left : _options.Timeout;
    }

    /// <summary>MinRate: every MinRate bytes buy one more second, up to the stage's maximum.</summary>
    private static long Extend(long deadline, long hardLimit, int bytes, int minRate)
    {
        if (deadline == long.MaxValue || minRate <= 0)
        {
            return deadline;
        }

        long extended = deadline + (long)((double)bytes / minRate * Stopwatch.Frequency);
        return extended < hardLimit ? extended : hardLimit;
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Room for a head that is still within the limits; false once no limit can be met.</summary>
    private bool GrowInput()
    {
        long max = _options.LimitRequestLine + 4 + ((long)(_options.LimitRequestFields + 1) * (_options.LimitRequestFieldSize + 4)) + (2 * HttpParser.MaxBlankLines);
        if (_in.Length >= max)
        {
            return false;
        }

        byte[] bigger = ConnectionBuffers.Rent((int)Math.Min(max, _in.Length * 2L));
        Buffer.BlockCopy(_in, 0, bigger, 0, _inEnd);
        ConnectionBuffers.Return(_in);
        _in = bigger;
        Request.Headers.Rebase(bigger);
        return true;
    }

    /// <summary>
    /// An HTTP/2 stream's head is written as HTTP/1.1 for this engine (HTTP/1.1 semantics); its
    /// request line then names the stream's protocol, as Apache's %r and THE_REQUEST show
    /// "GET / HTTP/2.0". Both versions are 8 octets: the line is patched in place.
    /// </summary>
    private void MarkStreamProtocol(Connection connection)
    {
        if (connection.RequestProtocol is string protocol && protocol.Length == 8 && _parse.Line.Version == 1001)
        {
            Encoding.ASCII.GetBytes(protocol, _in.AsSpan(_parse.Line.LineStart + _parse.Line.LineLength - 8, 8));
        }
    }
}
