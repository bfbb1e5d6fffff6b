using System.IO;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Http2.Hpack;

namespace Pluma.Http.Http2;

/// <summary>
/// One HTTP/2 connection (RFC 9113) on the worker thread that accepted it (the reader: the only
/// thread that reads the socket): reads frames, keeps the streams' states and windows, and serves
/// each complete request through the HTTP/1.1 engine's <see cref="IConnectionHandler"/> on a
/// <see cref="Http2StreamConnection"/>, so the request pipeline and every module run unchanged
/// (mod_http2's secondary connections, h2_c2.c). Streams run at once on the child's idle workers
/// (<see cref="Connection.Workers"/>, as mod_http2's h2_workers), at most
/// H2MaxSessionStreams and H2MaxWorkers of them; when no worker is idle and none of this
/// connection's streams runs, the reader serves the next one itself, handling frames while it
/// waits for input or window, so a connection always progresses even when every worker is busy.
/// Everything the threads share is guarded by one lock (<see cref="_sync"/>); the socket is
/// written by one thread at a time (<see cref="Flush"/>).
/// </summary>
public sealed partial class Http2Connection : IDisposable
{
    private const int InputSize = 9 + Http2FrameHeader.DefaultMaxFrameSize + 4096;
    private const int OutputSize = 32 * 1024;
    private const int ConnectionWindow = 1 << 24;

    // How long the reader waits for input at a time while streams run elsewhere: it looks up
    // between waits to see the last one finish (the idle timeout starts then) or the child stop.
    private static readonly TimeSpan BusyWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan IdleSlice = TimeSpan.FromSeconds(1);

    private readonly Connection _transport;
    private readonly IConnectionHandler _handler;
    private readonly Http2Options _options;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _idleTimeout;
    private readonly IErrorLog? _errorLog;
    private readonly Dictionary<int, Http2Stream> _streams = [];
    private readonly Queue<Http2Stream> _ready = new();
    private readonly HpackDecoder _decoder;
    private readonly Http2RequestHead _requestHead = new();
    private readonly object _sync = new();
    private readonly int _maxActive;

    private byte[] _in = [];
    private int _inStart;
    private int _inEnd;
    private byte[] _out = [];
    private int _outLength;
    private byte[] _sending = [];
    private bool _sendBusy;

    private readonly string _scoreboardHost;
    private int _completed;
    private (int Open, int Completed, string What, int Stream) _reported;

    private int _readerThread;
    private int _active;
    private bool _closed;
    private long _idleSince;

    private int _lastStreamId;
    private bool _settingsReceived;
    private int _peerMaxFrameSize = Http2FrameHeader.DefaultMaxFrameSize;
    private int _peerInitialWindow = 65535;
    private long _connectionSendWindow = 65535;
    private long _connectionReceiveWindow = 65535;
    private int _connectionUnacknowledged;
    private bool _goAwaySent;
    private bool _peerGoAway;
    private Http2ConnectionException? _fatal;

    // Rapid reset: RST_STREAM frames counted per one-second window.
    private long _resetWindowStart;
    private int _resetsInWindow;

    public Http2Connection(Connection transport, IConnectionHandler handler, Http2Options options, TimeSpan timeout, TimeSpan idleTimeout, IErrorLog? errorLog = null, string scoreboardHost = "")
    {
        _scoreboardHost = scoreboardHost;
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        _transport = transport;
        _handler = handler;
        _options = options;
        _timeout = timeout;
        _idleTimeout = idleTimeout;
        _errorLog = errorLog;
        _decoder = new HpackDecoder(options.HeaderTableSize, options.MaxHeaderListSize);
        // mod_http2's h2_mplx: a connection has at most min(H2MaxSessionStreams, H2MaxWorkers)
        // streams in processing; H2MaxWorkers unset means the MPM's threads per child.
        int workers = options.MaxWorkers ?? transport.Workers?.Size ?? 1;
        _maxActive = Math.Max(1, Math.Min(options.MaxConcurrentStreams, workers));
    }

    internal Connection Transport => _transport;

    /// <summary>Apache's name for the protocol (h2_protocol_get): "h2" over TLS, "h2c" on cleartext.</summary>
    internal string ProtocolName => _transport.IsSecure ? "h2" : "h2c";

    private bool OnReader => Environment.CurrentManagedThreadId == _readerThread;

    /// <summary>
    /// Serves the connection until the client leaves, an error closes it, it idles past the
    /// keep-alive timeout, or the server drains it; or until it is idle with nothing buffered,
    /// when it may wait without a thread. <paramref name="received"/> holds what was already read
    /// from the connection (the preface, or part of it, and maybe frames). True when the
    /// connection is parked: the caller gives it back to the MPM until it is readable or
    /// <see cref="Connection.InputDeadline"/> passes, then calls <see cref="Resume"/>; false when
    /// it is over (then it holds nothing more).
    /// </summary>
    public bool Run(ReadOnlySpan<byte> received)
    {
        RentBuffers(received.Length);
        received.CopyTo(_in);
        _inEnd = received.Length;
        return Loop(first: true);
    }

    /// <summary>
    /// The connection after 101 Switching Protocols (RFC 7540 3.2): <paramref name="head"/> is the
    /// HTTP/1.1 request that asked for it, served as stream 1, half-closed from the client's side.
    /// The client's preface follows the 101; <paramref name="received"/> holds what of it is already read.
    /// </summary>
    public bool RunUpgraded(byte[] head, int headLength, ReadOnlySpan<byte> received)
    {
        ArgumentNullException.ThrowIfNull(head);
        RentBuffers(received.Length);
        received.CopyTo(_in);
        _inEnd = received.Length;
        var stream = new Http2Stream(1, head, headLength, -1, endStream: true, isHead: head.AsSpan(0, headLength).StartsWith("HEAD "u8), _peerInitialWindow, _options.InitialWindowSize)
        {
            Summary = Http2Stream.SummaryOf(head.AsSpan(0, headLength)),
        };
        lock (_sync)
        {
            _lastStreamId = 1;
            _streams.Add(1, stream);
            _ready.Enqueue(stream);
        }

        return Loop(first: true);
    }

    /// <summary>Goes on with a parked connection (input arrived, or its idle deadline passed); returns as <see cref="Run"/> does.</summary>
    public bool Resume()
    {
        RentBuffers(0);
        return Loop(first: false);
    }

    /// <summary>What a parked connection keeps (its HPACK table, settings and windows) goes with it.</summary>
    public void Dispose()
    {
        if (_in.Length == 0 && !_closed)
        {
            _closed = true;
            _requestHead.Dispose();
        }
    }

    private void RentBuffers(int received)
    {
        _readerThread = Environment.CurrentManagedThreadId;
        _reported = default; // perhaps another worker's slot now
        _in = ArrayPool<byte>.Shared.Rent(Math.Max(InputSize, received));
        _out = ArrayPool<byte>.Shared.Rent(OutputSize);
        _sending = ArrayPool<byte>.Shared.Rent(OutputSize);
        _inStart = _inEnd = 0;
    }

    /// <summary>Idle, nothing read ahead or being sent: the buffers go back and the connection waits without a thread.</summary>
    private void Park()
    {
        _transport.InputDeadline = _idleSince + (long)_idleTimeout.TotalMilliseconds;
        ArrayPool<byte>.Shared.Return(_in);
        ArrayPool<byte>.Shared.Return(_out);
        ArrayPool<byte>.Shared.Return(_sending);
        _in = [];
        _out = [];
        _sending = [];
        if (_block.Length != 0 && _blockStream == 0)
        {
            // A header block whose CONTINUATION is still to come waits with the connection.
            ArrayPool<byte>.Shared.Return(_block);
            _block = [];
        }
    }

    private bool Loop(bool first)
    {
        bool parked = false;
        try
        {
            if (first)
            {
                ReadPreface();
                SendSettings();
            }

            while (true)
            {
                if (DispatchReady() is { } next)
                {
                    ServeStream(next, _transport.Status);
                    lock (_sync)
                    {
                        _active--;
                        Monitor.PulseAll(_sync);
                    }

                    ThrowIfFatal();
                    continue;
                }

                Input input = ReadFrame();
                if (input == Input.Park)
                {
                    parked = true;
                    Park();
                    return true;
                }

                if (input == Input.Ended)
                {
                    break;
                }
            }
        }
        catch (Http2ConnectionException e)
        {
            Log(LogLevel.Debug, "PL00500: HTTP/2 connection error " + e.Error + ": " + e.Message);
            TrySendGoAway(e.Error);
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            // The client left or stalled: nothing more can be said to it.
        }
        finally
        {
            if (!parked)
            {
                Close();
            }
        }

        return false;
    }

    /// <summary>
    /// Ends the connection: streams still running on workers see it reset and finish; once none
    /// runs, the streams and buffers go back.
    /// </summary>
    private void Close()
    {
        lock (_sync)
        {
            _closed = true;
            foreach (Http2Stream stream in _streams.Values)
            {
                stream.Reset = true;
            }

            Monitor.PulseAll(_sync);
            while (_active > 0 || _sendBusy)
            {
                Monitor.Wait(_sync);
            }

            foreach (Http2Stream stream in _streams.Values)
            {
                stream.Dispose();
            }

            while (_ready.TryDequeue(out Http2Stream? queued))
            {
                queued.Dispose();
            }

            _streams.Clear();
        }

        _requestHead.Dispose();
        ArrayPool<byte>.Shared.Return(_in);
        ArrayPool<byte>.Shared.Return(_out);
        ArrayPool<byte>.Shared.Return(_sending);
        _in = [];
        _out = [];
        _sending = [];
    }

    /// <summary>
    /// Starts ready streams on idle workers while this connection may run more. Returns a stream
    /// for the reader to serve itself when no worker is idle and none of this connection's
    /// streams is running (else one of those takes the next when it finishes).
    /// </summary>
    private Http2Stream? DispatchReady()
    {
        lock (_sync)
        {
            ThrowIfFatal();
            while (_ready.Count > 0 && _active < _maxActive)
            {
                Http2Stream next = _ready.Peek();
                if (next.Reset)
                {
                    _ready.Dequeue();
                    next.Dispose();
                    continue;
                }

                // Marked before a worker can start it: a RST_STREAM from now on leaves its buffers to whoever serves it.
                next.Serving = true;
                ReportStatus("schedule", next);
                if (_transport.Workers is { } workers && workers.TryStart(_transport.RemoteEndPoint.Address, status => ServeOnWorker(next, status)))
                {
                    _ready.Dequeue();
                    _active++;
                    continue;
                }

                if (_active == 0)
                {
                    _active++;
                    return _ready.Dequeue();
                }

                next.Serving = false;

                break;
            }
        }

        return null;
    }

    /// <summary>A worker serves the stream, then the next ready one of this connection while there is one.</summary>
    private void ServeOnWorker(Http2Stream first, IWorkerStatus status)
    {
        Http2Stream? stream = first;
        while (stream is not null)
        {
            try
            {
                ServeStream(stream, status);
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException or IOException)
            {
                // The connection failed while the stream ended: the reader sees it too.
            }

            lock (_sync)
            {
                stream = null;
                while (!_closed && _fatal is null && _ready.TryDequeue(out Http2Stream? next))
                {
                    if (!next.Reset)
                    {
                        next.Serving = true;
                        stream = next;
                        break;
                    }

                    next.Dispose();
                }

                if (stream is null)
                {
                    _active--;
                }

                Monitor.PulseAll(_sync);
            }
        }
    }

    private void ReadPreface()
    {
        ReadOnlySpan<byte> preface = Http2FrameWriter.ClientPreface;
        Fill(preface.Length, _timeout);
        if (!_in.AsSpan(_inStart, preface.Length).SequenceEqual(preface))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "bad connection preface");
        }

        _inStart += preface.Length;
    }

    private void SendSettings()
    {
        Span<(Http2SettingId, uint)> settings =
        [
            (Http2SettingId.MaxConcurrentStreams, (uint)_options.MaxConcurrentStreams),
            (Http2SettingId.InitialWindowSize, (uint)_options.InitialWindowSize),
            (Http2SettingId.MaxHeaderListSize, (uint)_options.MaxHeaderListSize),
            (Http2SettingId.EnablePush, 0u),
        ];
        lock (_sync)
        {
            Reserve(9 + (6 * settings.Length) + 13);
            _outLength += Http2FrameWriter.WriteSettings(_out.AsSpan(_outLength), settings);

            // The connection window is not a SETTINGS value (6.9.2): widen it with WINDOW_UPDATE.
            _outLength += Http2FrameWriter.WriteWindowUpdate(_out.AsSpan(_outLength), 0, ConnectionWindow - 65535);
            _connectionReceiveWindow = ConnectionWindow;
        }

        Flush();
    }

    /// <summary>
    /// The reader's wait for the next frame: false when the client closed, the connection idled
    /// past the keep-alive timeout (GOAWAY NO_ERROR, as Apache says goodbye), or it drained.
    /// </summary>
    private Input ReadFrame()
    {
        Input input = FillBetweenStreams(Http2FrameHeader.Size);
        if (input != Input.Ready)
        {
            return input;
        }

        Http2FrameHeader header = Http2FrameHeader.Read(_in.AsSpan(_inStart));
        if (header.Length > Http2FrameHeader.DefaultMaxFrameSize)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "frame larger than SETTINGS_MAX_FRAME_SIZE");
        }

        input = FillBetweenStreams(Http2FrameHeader.Size + header.Length);
        if (input != Input.Ready)
        {
            return input;
        }

        HandleBufferedFrame(header);
        return Input.Ready;
    }

    /// <summary>What the reader's wait between streams came to.</summary>
    private enum Input
    {
        /// <summary>The bytes asked for are in the buffer.</summary>
        Ready,

        /// <summary>The client closed, the connection idled out (GOAWAY sent) or drained.</summary>
        Ended,

        /// <summary>Idle with nothing buffered: the connection may wait without a thread.</summary>
        Park,
    }

    /// <summary>
    /// Waits for input in short slices while streams run on workers (nothing to time out: they
    /// wait for their own input with their own timeouts), and for at most the idle timeout once
    /// none is open. Sends GOAWAY when the child drains, and ends once no stream is left after it.
    /// </summary>
    private Input FillBetweenStreams(int count)
    {
        while (true)
        {
            bool idle, done;
            lock (_sync)
            {
                if (_transport.IsDraining && !_goAwaySent)
                {
                    // Graceful stop: announce the last stream we take; streams below it finish.
                    QueueGoAway(Http2ErrorCode.NoError);
                }

                idle = _streams.Count == 0 && _active == 0 && _ready.Count == 0;
                done = idle && (_goAwaySent || _peerGoAway);
            }

            Flush();
            if (done)
            {
                return Input.Ended;
            }

            lock (_sync)
            {
                ReportStatus("read", null);
            }

            TimeSpan wait = BusyWait;
            long now = Environment.TickCount64;
            if (idle)
            {
                if (_idleSince == 0)
                {
                    _idleSince = now;
                }

                long left = _idleSince + (long)_idleTimeout.TotalMilliseconds - now;
                if (left <= 0)
                {
                    TrySendGoAway(Http2ErrorCode.NoError);
                    return Input.Ended;
                }

                if (_inStart == _inEnd && _transport.Workers is not null)
                {
                    // Nothing of a frame has arrived: unless the client has sent more meanwhile
                    // (also into TLS's buffer, where no poll sees it), wait without a thread,
                    // as the event MPM parks an idle HTTP/1.1 keep-alive connection.
                    _inStart = _inEnd = 0;
                    int n = _transport.ReceiveIfReady(_in, _timeout);
                    if (n < 0)
                    {
                        return Input.Park;
                    }

                    if (n == 0)
                    {
                        return Input.Ended;
                    }

                    _inEnd = n;
                    continue;
                }

                wait = TimeSpan.FromMilliseconds(Math.Min(left, IdleSlice.TotalMilliseconds));
            }
            else
            {
                _idleSince = 0;
            }

            try
            {
                return Fill(count, wait) ? Input.Ready : Input.Ended;
            }
            catch (ConnectionTimeoutException)
            {
                // Look again: a stream may have finished, or the child may be stopping.
            }
        }
    }

    /// <summary>Handles the frame at _inStart (complete in the buffer), wakes the streams it concerns, sends what it produced.</summary>
    private void HandleBufferedFrame(in Http2FrameHeader header)
    {
        ReadOnlySpan<byte> payload = _in.AsSpan(_inStart + Http2FrameHeader.Size, header.Length);
        _inStart += Http2FrameHeader.Size + header.Length;
        lock (_sync)
        {
            HandleFrame(header, payload);
            Monitor.PulseAll(_sync);
        }

        Flush();
    }

    /// <summary>
    /// The reader, serving a stream itself, needs input or window: it handles one frame. A
    /// connection error is kept for the main loop and the stream's engine sees its connection reset.
    /// </summary>
    internal void Pump(TimeSpan timeout)
    {
        ThrowIfFatal();
        try
        {
            if (!Fill(Http2FrameHeader.Size, timeout))
            {
                throw new ConnectionResetException("HTTP/2 connection closed");
            }

            Http2FrameHeader header = Http2FrameHeader.Read(_in.AsSpan(_inStart));
            if (header.Length > Http2FrameHeader.DefaultMaxFrameSize)
            {
                throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "frame larger than SETTINGS_MAX_FRAME_SIZE");
            }

            if (!Fill(Http2FrameHeader.Size + header.Length, timeout))
            {
                throw new ConnectionResetException("HTTP/2 connection closed");
            }

            HandleBufferedFrame(header);
        }
        catch (Http2ConnectionException e)
        {
            lock (_sync)
            {
                _fatal = e;
                foreach (Http2Stream stream in _streams.Values)
                {
                    stream.Reset = true;
                }

                Monitor.PulseAll(_sync);
            }

            throw new ConnectionResetException("HTTP/2 connection error", e);
        }
    }

    private void ThrowIfFatal()
    {
        lock (_sync)
        {
            if (_fatal is not null)
            {
                Http2ConnectionException fatal = _fatal;
                _fatal = null;
                throw fatal;
            }
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from _inStart; false at end of stream.</summary>
    private bool Fill(int count, TimeSpan timeout)
    {
        if (_inEnd - _inStart >= count)
        {
            return true;
        }

        if (_inStart + count > _in.Length)
        {
            int live = _inEnd - _inStart;
            Buffer.BlockCopy(_in, _inStart, _in, 0, live);
            _inStart = 0;
            _inEnd = live;
        }

        while (_inEnd - _inStart < count)
        {
            int n = _transport.Receive(_in.AsSpan(_inEnd), timeout);
            if (n == 0)
            {
                return false;
            }

            _inEnd += n;
        }

        return true;
    }

    /// <summary>
    /// Under <see cref="_sync"/>: the connection's line in server-status, as mod_http2 writes it on
    /// its worker's slot (h2_session.c update_child_status): "[open/completed] what: stream N,
    /// METHOD path", written only when it changes.
    /// </summary>
    private void ReportStatus(string what, Http2Stream? stream)
    {
        var now = (_streams.Count, _completed, what, stream?.Id ?? 0);
        if (now == _reported)
        {
            return;
        }

        _reported = now;
        string text = "[" + now.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + now.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture) + "] "
            + what + ": stream " + now.Item4.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + (stream?.Summary ?? " ");
        _transport.Status.RequestStarted(System.Text.Encoding.Latin1.GetBytes(text), _scoreboardHost, ProtocolName);
    }

    private void Log(LogLevel level, string message)
    {
        if (_errorLog is not null && _errorLog.IsEnabled(level, "http2"))
        {
            _errorLog.Write(level, "http2", message, _transport.RemoteEndPoint.Address.ToString());
        }
    }
}

