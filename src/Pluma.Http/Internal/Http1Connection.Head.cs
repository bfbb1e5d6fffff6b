using System.Buffers;
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

    /// <summary>The head is incomplete and nothing more has arrived: give the connection back until it has.</summary>
    WaitForInput,
}

internal sealed partial class Http1Connection
{
    private byte[] _in = [];
    private int _inEnd;
    private int _pos;
    private int _headEnd;
    private int _fieldCount;

    // mod_reqtimeout's header stage (Stopwatch ticks), and when a wait for input gives up (TickCount64 ms, 0: not waiting).
    private long _headDeadline;
    private long _headHardLimit;
    private long _inputWaitUntilMs;

    private StartLine _line;
    private bool _lineParsed;
    private RequestRejection _rejection;
    private DateTime _requestTime;

    private string? _methodName;
    private string? _requestLineString;
    private string? _rawTargetString;
    private string? _decodedPath;
    private string? _queryString;
    private bool _queryParsed;
    private RequestTarget _target;

    // What the checked head says (host, body framing, Connection and Expect), pure RequestHeadRules output.
    private RequestHead _head;

    private string? _hostName;
    private readonly RecentString _recentHost = new();
    private readonly RecentString _recentPath = new();
    private bool _hostParsed;

    public ref readonly StartLine Line => ref _line;

    public string MethodName => _methodName ??= _line.Method != HttpMethod.Unknown
        ? HttpMethods.Name(_line.Method)
        : Encoding.Latin1.GetString(_in, _line.MethodStart, _line.MethodLength);

    public ReadOnlySpan<byte> RequestLineBytes => _lineParsed ? _in.AsSpan(_line.LineStart, _line.LineLength) : default;

    public string RequestLineString => _requestLineString ??= Encoding.Latin1.GetString(RequestLineBytes);

    public ReadOnlySpan<byte> RawTargetBytes => _lineParsed ? _in.AsSpan(_line.TargetStart, _line.TargetLength) : default;

    public string RawTargetString => _rawTargetString ??= Encoding.Latin1.GetString(RawTargetBytes);

    public ReadOnlySpan<byte> RawPathBytes => _lineParsed ? _in.AsSpan(_target.PathStart, _target.PathLength) : default;

    public string DecodedPath
    {
        get
        {
            if (_decodedPath is null)
            {
                ReadOnlySpan<byte> raw = RawPathBytes;
                if (raw.IsEmpty)
                {
                    _decodedPath = "/";
                }
                else if (raw is [(byte)'*'])
                {
                    _decodedPath = "*";
                }
                else if (!_recentPath.TryGet(raw, out _decodedPath))
                {
                    _decodedPath = UrlPath.Normalize(UrlPath.Decode(raw, decodeSlashes: false)) ?? "/";
                    _recentPath.Set(raw, _decodedPath);
                }
            }

            return _decodedPath;
        }
    }

    public string? QueryString
    {
        get
        {
            if (!_queryParsed)
            {
                _queryParsed = true;
                _queryString = _target.QueryStart < 0 ? null : Encoding.Latin1.GetString(_in, _target.QueryStart, _target.QueryLength);
            }

            return _queryString;
        }
    }

    public string ProtocolString => _line.Version switch
    {
        1001 => "HTTP/1.1",
        1000 => "HTTP/1.0",
        9 => "HTTP/0.9",
        _ => "HTTP/" + (_line.Version / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + (_line.Version % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string? HostName
    {
        get
        {
            if (!_hostParsed)
            {
                _hostParsed = true;
                if (_head.HostValid && _head.HostLength > 0)
                {
                    ReadOnlySpan<byte> raw = _in.AsSpan(_head.HostStart, _head.HostLength);
                    if (!_recentHost.TryGet(raw, out _hostName))
                    {
                        _hostName = Encoding.Latin1.GetString(raw).ToLowerInvariant();
                        _recentHost.Set(raw, _hostName);
                    }
                }
                else
                {
                    _hostName = null;
                }
            }

            return _hostName;
        }
    }

    public int HostPort => _head.HostValid ? _head.HostPort : 0;

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
        _headEnd = 0;
        _line = default;
        _lineParsed = false;
        _rejection = RequestRejection.None;
        _methodName = null;
        _requestLineString = null;
        _rawTargetString = null;
        _decodedPath = null;
        _queryString = null;
        _queryParsed = false;
        _target = RequestTarget.None;
        _head = RequestHead.None;
        _hostName = null;
        _hostParsed = false;
        _requestTime = DateTime.UtcNow;
        Request.Headers.Reset(_in);
        Response.Reset();
        _context.Reset(_options.Identity);
        BeginBody();
        BeginOutput();
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
        _headDeadline = stage.Initial > TimeSpan.Zero ? start + ToTicks(stage.Initial) : long.MaxValue;
        _headHardLimit = stage.Maximum > TimeSpan.Zero ? start + ToTicks(stage.Maximum) : long.MaxValue;
        _fieldCount = 0;
        _inputWaitUntilMs = 0;
    }

    private HeadResult ReadHead(Connection connection)
    {
        var handler = new HeadersHandler(Request.Headers);
        while (true)
        {
            ReadOnlySpan<byte> data = _in.AsSpan(0, _inEnd);
            ParseResult result;
            if (!_lineParsed)
            {
                result = HttpParser.TakeStartLine(data, ref _pos, _options, out _line, out _rejection);
                if (result == ParseResult.Done)
                {
                    _lineParsed = true;
                    _target = RequestTarget.Split(_in.AsSpan(_line.TargetStart, _line.TargetLength), _line.TargetStart);
                    if (_line.Version == 9)
                    {
                        _headEnd = _pos;
                        return HeadResult.Ok; // HTTP/0.9 has no header section
                    }
                }
                else if (result == ParseResult.Rejected)
                {
                    return HeadResult.Rejected;
                }
            }

            if (_lineParsed)
            {
                result = HttpParser.TakeHeaders(data, ref _pos, ref _fieldCount, _options, ref handler, out _rejection);
                if (result == ParseResult.Done)
                {
                    _headEnd = _pos;
                    _rejection = RequestHeadRules.Validate(_in, Request.Headers, in _line, in _target, _options, out _head);
                    return _rejection == RequestRejection.None ? HeadResult.Ok : HeadResult.Rejected;
                }

                if (result == ParseResult.Rejected)
                {
                    return HeadResult.Rejected;
                }
            }

            if (_inEnd == _in.Length && !GrowInput())
            {
                _rejection = _lineParsed ? RequestRejection.FieldTooLong : RequestRejection.RequestLineTooLong;
                return HeadResult.Rejected;
            }

            int n;
            try
            {
                n = ReceiveHeadBytes(connection);
            }
            catch (ConnectionTimeoutException)
            {
                LogReqtimeout(_options.HeaderReadTimeout, "AH01382: Request header read timeout");

                // mod_reqtimeout: 408 once a request line is in; before that Apache just closes.
                if (!_lineParsed)
                {
                    return HeadResult.Closed;
                }

                _rejection = RequestRejection.Timeout;
                return HeadResult.Rejected;
            }
            catch (ConnectionResetException)
            {
                return HeadResult.Closed;
            }

            if (n < 0)
            {
                return HeadResult.WaitForInput;
            }

            if (n == 0)
            {
                return HeadResult.Closed;
            }

            if (_inEnd == 0 && _pos == 0 && !_lineParsed)
            {
                _requestTime = DateTime.UtcNow;
            }

            _inEnd += n;
            _headDeadline = Extend(_headDeadline, _headHardLimit, n, _options.HeaderReadTimeout.MinRate);
        }
    }

    /// <summary>
    /// Reads more of the head: what has arrived, or -1 (with <see cref="Connection.InputDeadline"/>
    /// set) when nothing has and the MPM can wait for it without this thread. A connection whose
    /// MPM is stopping waits here instead, as Apache's workers do. Throws
    /// <see cref="ConnectionTimeoutException"/> when the stage's deadline, or Timeout since the
    /// last byte, has passed.
    /// </summary>
    private int ReceiveHeadBytes(Connection connection)
    {
        long now = Stopwatch.GetTimestamp();
        TimeSpan timeout = ReadTimeout(now, _headDeadline);
        Span<byte> free = _in.AsSpan(_inEnd);
        int n = connection.ReceiveIfReady(free, timeout);
        if (n >= 0)
        {
            _inputWaitUntilMs = 0;
            return n;
        }

        long nowMs = Environment.TickCount64;
        if (_inputWaitUntilMs != 0 && nowMs >= _inputWaitUntilMs)
        {
            throw new ConnectionTimeoutException("recv: timed out");
        }

        if (connection.IsDraining)
        {
            n = connection.Receive(free, timeout);
            _inputWaitUntilMs = 0;
            return n;
        }

        if (_inputWaitUntilMs == 0)
        {
            // Core's Timeout counts from the last byte; the stage's deadline caps it (ReadTimeout).
            _inputWaitUntilMs = nowMs + (long)Math.Ceiling(timeout.TotalMilliseconds);
        }

        connection.InputDeadline = _inputWaitUntilMs;
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

        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max, _in.Length * 2L));
        Buffer.BlockCopy(_in, 0, bigger, 0, _inEnd);
        ArrayPool<byte>.Shared.Return(_in);
        _in = bigger;
        Request.Headers.Rebase(bigger);
        return true;
    }
}
