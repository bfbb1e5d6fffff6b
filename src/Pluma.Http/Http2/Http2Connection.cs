using System.IO;
using System.Buffers;
using System.Collections.Generic;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Http2.Hpack;

namespace Pluma.Http.Http2;

/// <summary>
/// One HTTP/2 connection (RFC 9113) on the worker thread that accepted it: reads frames, keeps
/// the streams' states and windows, and serves each complete request through the HTTP/1.1
/// engine's <see cref="IConnectionHandler"/> on a <see cref="Http2StreamConnection"/>, so the
/// request pipeline and every module run unchanged (mod_http2's secondary connections). Streams
/// are served one after another on this thread; frames that arrive meanwhile (other streams'
/// requests, WINDOW_UPDATE, PING, RST_STREAM) are handled while a stream waits for input or
/// window, so a stream never blocks the connection's control traffic.
/// </summary>
public sealed partial class Http2Connection
{
    private const int InputSize = 9 + Http2FrameHeader.DefaultMaxFrameSize + 4096;
    private const int OutputSize = 32 * 1024;
    private const int ConnectionWindow = 1 << 24;

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

    private byte[] _in = [];
    private int _inStart;
    private int _inEnd;
    private byte[] _out = [];
    private int _outLength;

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
    private Http2Stream? _serving;

    // Rapid reset: RST_STREAM frames counted per one-second window.
    private long _resetWindowStart;
    private int _resetsInWindow;

    public Http2Connection(Connection transport, IConnectionHandler handler, Http2Options options, TimeSpan timeout, TimeSpan idleTimeout, IErrorLog? errorLog = null)
    {
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
    }

    internal Connection Transport => _transport;

    /// <summary>
    /// Serves the connection until the client leaves, an error closes it, it idles past the
    /// keep-alive timeout, or the server drains it. <paramref name="received"/> holds what was
    /// already read from the connection (the preface, or part of it, and maybe frames).
    /// </summary>
    public void Run(ReadOnlySpan<byte> received)
    {
        _in = ArrayPool<byte>.Shared.Rent(Math.Max(InputSize, received.Length));
        _out = ArrayPool<byte>.Shared.Rent(OutputSize);
        received.CopyTo(_in);
        _inEnd = received.Length;
        try
        {
            ReadPreface();
            SendSettings();
            while (true)
            {
                if (_ready.Count > 0)
                {
                    ServeStream(_ready.Dequeue());
                    ThrowIfFatal();
                    continue;
                }

                if (_transport.IsDraining && !_goAwaySent)
                {
                    // Graceful stop: announce the last stream we take; streams below it finish.
                    SendGoAway(Http2ErrorCode.NoError);
                }

                if ((_goAwaySent || _peerGoAway) && _streams.Count == 0)
                {
                    break;
                }

                if (!ReadFrame(_streams.Count == 0 ? _idleTimeout : _timeout, idle: _streams.Count == 0))
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
            foreach (Http2Stream stream in _streams.Values)
            {
                stream.Dispose();
            }

            _streams.Clear();
            _requestHead.Dispose();
            ArrayPool<byte>.Shared.Return(_in);
            ArrayPool<byte>.Shared.Return(_out);
            _in = [];
            _out = [];
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
        Reserve(9 + (6 * settings.Length) + 13);
        _outLength += Http2FrameWriter.WriteSettings(_out.AsSpan(_outLength), settings);

        // The connection window is not a SETTINGS value (6.9.2): widen it with WINDOW_UPDATE.
        _outLength += Http2FrameWriter.WriteWindowUpdate(_out.AsSpan(_outLength), 0, ConnectionWindow - 65535);
        _connectionReceiveWindow = ConnectionWindow;
        Flush();
    }

    /// <summary>Reads and handles one frame; false when the client closed or idled out.</summary>
    private bool ReadFrame(TimeSpan timeout, bool idle)
    {
        try
        {
            if (!Fill(Http2FrameHeader.Size, timeout))
            {
                return false;
            }
        }
        catch (ConnectionTimeoutException) when (idle)
        {
            // Idle past the keep-alive timeout: say goodbye as Apache does (GOAWAY NO_ERROR).
            TrySendGoAway(Http2ErrorCode.NoError);
            return false;
        }

        Http2FrameHeader header = Http2FrameHeader.Read(_in.AsSpan(_inStart));
        if (header.Length > Http2FrameHeader.DefaultMaxFrameSize)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "frame larger than SETTINGS_MAX_FRAME_SIZE");
        }

        if (!Fill(Http2FrameHeader.Size + header.Length, _timeout))
        {
            return false;
        }

        ReadOnlySpan<byte> payload = _in.AsSpan(_inStart + Http2FrameHeader.Size, header.Length);
        _inStart += Http2FrameHeader.Size + header.Length;
        HandleFrame(header, payload);
        Flush();
        return true;
    }

    /// <summary>
    /// Called while a stream waits (for body bytes or window): handles one frame. A connection
    /// error is kept and the stream's engine sees its connection reset.
    /// </summary>
    internal void Pump(TimeSpan timeout)
    {
        ThrowIfFatal();
        try
        {
            if (!ReadFrame(timeout, idle: false))
            {
                throw new ConnectionResetException("HTTP/2 connection closed");
            }
        }
        catch (Http2ConnectionException e)
        {
            _fatal = e;
            throw new ConnectionResetException("HTTP/2 connection error", e);
        }
    }

    private void ThrowIfFatal()
    {
        if (_fatal is not null)
        {
            Http2ConnectionException fatal = _fatal;
            _fatal = null;
            throw fatal;
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

    private void Log(LogLevel level, string message)
    {
        if (_errorLog is not null && _errorLog.IsEnabled(level, "http2"))
        {
            _errorLog.Write(level, "http2", message, _transport.RemoteEndPoint.Address.ToString());
        }
    }
}
