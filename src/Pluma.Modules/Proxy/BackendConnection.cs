using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Pluma.Modules.Proxy;

/// <summary>
/// One connection to a backend (proxy_conn_rec): a blocking socket with the worker's timeouts
/// and a read buffer for the response head. Owned by one request at a time; between requests
/// it waits in its worker's pool.
/// </summary>
public sealed class BackendConnection : IDisposable
{
    private const int BufferSize = 16384;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private long _idleSince;

    private BackendConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Whether this connection served a request before (a failure on it may be a stale keep-alive).</summary>
    public bool Reused { get; private set; }

    /// <summary>False once the exchange left the connection unusable (close, error, unread body).</summary>
    public bool CanReuse { get; set; } = true;

    /// <summary>Connects to <paramref name="endPoint"/>; throws <see cref="SocketException"/> on failure or timeout.</summary>
    public static BackendConnection Connect(EndPoint endPoint, TimeSpan connectTimeout, TimeSpan ioTimeout)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var cts = new CancellationTokenSource(connectTimeout);
            try
            {
                socket.ConnectAsync(endPoint, cts.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            if (socket.AddressFamily != AddressFamily.Unix)
            {
                socket.NoDelay = true;
            }

            int ms = (int)Math.Min(int.MaxValue, Math.Max(1, ioTimeout.TotalMilliseconds));
            socket.ReceiveTimeout = ms;
            socket.SendTimeout = ms;
            return new BackendConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sets the read/write timeout for this request (a pooled connection may serve another worker setting).</summary>
    public void SetTimeout(TimeSpan timeout)
    {
        int ms = (int)Math.Min(int.MaxValue, Math.Max(1, timeout.TotalMilliseconds));
        _socket.ReceiveTimeout = ms;
        _socket.SendTimeout = ms;
    }

    internal void MarkIdle()
    {
        Reused = true;
        _idleSince = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Apache's ap_proxy_is_socket_connected: an idle connection the backend has closed (or
    /// sent unasked bytes on) is readable; only a silent, open one is used again.
    /// </summary>
    internal bool IsReusable(int ttlSeconds)
    {
        if (ttlSeconds > 0 && Stopwatch.GetElapsedTime(_idleSince).TotalSeconds > ttlSeconds)
        {
            return false;
        }

        try
        {
            return _start == _end && !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = _socket.Send(data);
            data = data[n..];
        }
    }

    /// <summary>Reads into <paramref name="destination"/> (buffered bytes first); 0 at the backend's end of stream.</summary>
    public int Read(Span<byte> destination)
    {
        if (_start < _end)
        {
            int n = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }

        return _socket.Receive(destination);
    }

    /// <summary>
    /// One line without its CRLF (or LF) as Latin-1, or null at end of stream before any byte.
    /// A line longer than the buffer is an error (Apache's limit on a response field is 8 KiB).
    /// </summary>
    public string? ReadLine()
    {
        while (true)
        {
            int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                int end = lf > _start && _buffer[lf - 1] == '\r' ? lf - 1 : lf;
                string line = System.Text.Encoding.Latin1.GetString(_buffer, _start, end - _start);
                _start = lf + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new ProxyProtocolException("response header line too long");
            }

            int n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (n == 0)
            {
                if (_end == 0)
                {
                    return null;
                }

                throw new ProxyProtocolException("backend closed the connection in a header line");
            }

            _end += n;
        }
    }

    /// <summary>Whether more bytes can be read now without waiting (else the response so far is flushed to the client).</summary>
    public bool HasInputNow => _start < _end || _socket.Available > 0;

    /// <summary>Whether response bytes are waiting in the buffer (a backend that sent more than one response).</summary>
    public bool HasBufferedInput => _start < _end;

    public void Dispose() => _socket.Dispose();
}
