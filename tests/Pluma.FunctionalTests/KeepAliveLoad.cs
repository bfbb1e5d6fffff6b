using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Pluma.FunctionalTests;

/// <summary>
/// A bounded keep-alive load that retries nothing (unlike ab -k, which quietly re-sends a request
/// when a kept-alive connection is closed before its response): each of its threads holds one
/// keep-alive connection and sends one GET after another; every request sent either gets a full
/// 2xx response or is counted as a failure of its kind. A response with <c>Connection: close</c>
/// ends the connection and the thread opens a new one (or ends, once <see cref="EndOnClose"/> is set).
/// </summary>
internal sealed class KeepAliveLoad : IDisposable
{
    private const int MaxFailureNotes = 20;
    private readonly int _port;
    private readonly string _path;
    private readonly long _expectedLength;
    private readonly int _maxRequests;
    private readonly List<Thread> _threads = [];
    private readonly ConcurrentQueue<string> _notes = new();
    private volatile bool _stop;
    private volatile bool _endOnClose;
    private int _sent;
    private int _ok;
    private int _refused;
    private int _lostFresh;
    private int _lostKeepAlive;
    private int _short;
    private int _non2xx;
    private int _closes;
    private int _endedByClose;
    private int _served;

    /// <param name="port">The server's port on 127.0.0.1.</param>
    /// <param name="path">A static file: every response must carry exactly <paramref name="expectedLength"/> bytes.</param>
    /// <param name="expectedLength">The file's size.</param>
    /// <param name="connections">Threads, one keep-alive connection each.</param>
    /// <param name="maxRequests">The bound: no thread sends more once this many were sent in all.</param>
    public KeepAliveLoad(int port, string path, long expectedLength, int connections, int maxRequests)
    {
        _port = port;
        _path = path;
        _expectedLength = expectedLength;
        _maxRequests = maxRequests;
        for (int i = 0; i < connections; i++)
        {
            _threads.Add(new Thread(Run) { IsBackground = true, Name = "keepalive-load-" + i });
        }
    }

    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Full 2xx responses of the expected length.</summary>
    public int Ok => Volatile.Read(ref _ok);

    /// <summary>connect(2) failed.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>A new connection was closed or reset before its first response.</summary>
    public int LostFresh => Volatile.Read(ref _lostFresh);

    /// <summary>A kept-alive connection was closed or reset before the response to a request sent on it.</summary>
    public int LostKeepAlive => Volatile.Read(ref _lostKeepAlive);

    /// <summary>The connection ended in the middle of a body, or the length was not the file's.</summary>
    public int Short => Volatile.Read(ref _short);

    public int Non2xx => Volatile.Read(ref _non2xx);

    /// <summary>Responses that carried <c>Connection: close</c>.</summary>
    public int Closes => Volatile.Read(ref _closes);

    /// <summary>Threads that ended because a <c>Connection: close</c> came after <see cref="EndOnClose"/>.</summary>
    public int EndedByClose => Volatile.Read(ref _endedByClose);

    /// <summary>Threads whose current or an earlier connection has had at least one response.</summary>
    public int ConnectionsServed => Volatile.Read(ref _served);

    public int Failed => Refused + LostFresh + LostKeepAlive + Short + Non2xx;

    public int Connections => _threads.Count;

    /// <summary>From now on a thread ends at its next <c>Connection: close</c> (or failure) instead of reconnecting.</summary>
    public void EndOnClose() => _endOnClose = true;

    public string Summary =>
        $"sent {Sent}, ok {Ok}, refused {Refused}, lost on new connections {LostFresh}, lost on kept-alive connections {LostKeepAlive}, " +
        $"short {Short}, non-2xx {Non2xx}, Connection: close {Closes}; first failures: {string.Join(" | ", _notes)}";

    public void Start()
    {
        foreach (Thread t in _threads)
        {
            t.Start();
        }
    }

    /// <summary>Waits until <paramref name="count"/> more responses are complete than at the call; false after <paramref name="timeoutMs"/>.</summary>
    public bool WaitForProgress(int count, int timeoutMs)
    {
        int target = Ok + count;
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Ok < target && Environment.TickCount64 < deadline && !AllEnded)
        {
            Thread.Sleep(20);
        }

        return Ok >= target;
    }

    /// <summary>Waits until every thread's connection has been accepted and answered once; false after <paramref name="timeoutMs"/>.</summary>
    public bool WaitForEveryConnectionServed(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (ConnectionsServed < _threads.Count && Environment.TickCount64 < deadline && !AllEnded)
        {
            Thread.Sleep(20);
        }

        return ConnectionsServed == _threads.Count;
    }

    /// <summary>Waits for every thread to end by itself (after <see cref="EndOnClose"/>).</summary>
    public bool WaitForEnd(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        foreach (Thread t in _threads)
        {
            if (!t.Join((int)Math.Max(0, deadline - Environment.TickCount64)))
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose()
    {
        _stop = true;
        foreach (Thread t in _threads)
        {
            if (t.ThreadState != ThreadState.Unstarted)
            {
                t.Join(60_000);
            }
        }
    }

    private bool AllEnded
    {
        get
        {
            foreach (Thread t in _threads)
            {
                if (t.IsAlive)
                {
                    return false;
                }
            }

            return true;
        }
    }

    private void Note(string what)
    {
        if (_notes.Count < MaxFailureNotes)
        {
            _notes.Enqueue(what);
        }
    }

    private void Run()
    {
        byte[] request = Encoding.ASCII.GetBytes("GET " + _path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pluma-drain-test\r\n\r\n");
        var reader = new ResponseReader();
        Socket? socket = null;
        int answered = 0;
        bool served = false;
        try
        {
            while (!_stop)
            {
                if (socket is null)
                {
                    socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 30_000, SendTimeout = 30_000 };
                    try
                    {
                        socket.Connect(new IPEndPoint(IPAddress.Loopback, _port));
                    }
                    catch (SocketException e)
                    {
                        Interlocked.Increment(ref _refused);
                        Note("connect: " + e.SocketErrorCode);
                        socket.Dispose();
                        socket = null;
                        if (_endOnClose)
                        {
                            return;
                        }

                        Thread.Sleep(10);
                        continue;
                    }

                    reader.Reset();
                    answered = 0;
                }

                if (Interlocked.Increment(ref _sent) > _maxRequests)
                {
                    Interlocked.Decrement(ref _sent);
                    return;
                }

                ResponseReader.Outcome outcome;
                string detail;
                try
                {
                    socket.Send(request);
                    (outcome, detail) = reader.Read(socket, _expectedLength);
                }
                catch (SocketException e)
                {
                    (outcome, detail) = (reader.InBody ? ResponseReader.Outcome.Short : ResponseReader.Outcome.Lost, e.SocketErrorCode.ToString());
                }

                bool close = true;
                switch (outcome)
                {
                    case ResponseReader.Outcome.Ok:
                        Interlocked.Increment(ref _ok);
                        answered++;
                        if (!served)
                        {
                            served = true;
                            Interlocked.Increment(ref _served);
                        }

                        close = reader.ConnectionClose;
                        break;
                    case ResponseReader.Outcome.Non2xx:
                        Interlocked.Increment(ref _non2xx);
                        Note("status " + detail);
                        close = reader.ConnectionClose;
                        break;
                    case ResponseReader.Outcome.Short:
                        Interlocked.Increment(ref _short);
                        Note("short body: " + detail);
                        break;
                    default:
                        Interlocked.Increment(ref answered == 0 ? ref _lostFresh : ref _lostKeepAlive);
                        Note((answered == 0 ? "new connection lost: " : $"kept-alive connection lost after {answered} responses: ") + detail);
                        break;
                }

                if (!close)
                {
                    continue;
                }

                socket.Dispose();
                socket = null;
                if (outcome is ResponseReader.Outcome.Ok or ResponseReader.Outcome.Non2xx)
                {
                    Interlocked.Increment(ref _closes);
                }

                if (_endOnClose)
                {
                    if (outcome == ResponseReader.Outcome.Ok)
                    {
                        Interlocked.Increment(ref _endedByClose);
                    }

                    return;
                }
            }
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>Reads one response (head, then exactly Content-Length bytes) through a buffer kept across responses.</summary>
    private sealed class ResponseReader
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public enum Outcome
        {
            Ok,
            Non2xx,
            Short,
            Lost,
        }

        public bool ConnectionClose { get; private set; }

        public bool InBody { get; private set; }

        public void Reset() => _start = _end = 0;

        public (Outcome Outcome, string Detail) Read(Socket socket, long expectedLength)
        {
            InBody = false;
            ConnectionClose = false;
            int headEnd;
            while ((headEnd = HeadEnd()) < 0)
            {
                if (!Fill(socket))
                {
                    return (_end > _start ? Outcome.Short : Outcome.Lost, _end > _start ? "end of stream in the head" : "end of stream");
                }
            }

            string head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
            _start = headEnd + 4;
            string[] lines = head.Split("\r\n");
            int status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            long length = -1;
            foreach (string line in lines)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                string name = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Contains("close", StringComparison.OrdinalIgnoreCase))
                {
                    ConnectionClose = true;
                }
            }

            if (length < 0)
            {
                return (Outcome.Short, "no Content-Length");
            }

            InBody = true;
            long left = length;
            while (left > 0)
            {
                if (_start == _end && !Fill(socket))
                {
                    return (Outcome.Short, $"{length - left} of {length} bytes");
                }

                int take = (int)Math.Min(left, _end - _start);
                _start += take;
                left -= take;
            }

            InBody = false;
            if (status is < 200 or > 299)
            {
                return (Outcome.Non2xx, status.ToString(CultureInfo.InvariantCulture));
            }

            return length == expectedLength ? (Outcome.Ok, "") : (Outcome.Short, $"Content-Length {length}, expected {expectedLength}");
        }

        private int HeadEnd()
        {
            ReadOnlySpan<byte> have = _buffer.AsSpan(_start, _end - _start);
            int i = have.IndexOf("\r\n\r\n"u8);
            return i < 0 ? -1 : _start + i;
        }

        private bool Fill(Socket socket)
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }
            else if (_end == _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int n = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (n <= 0)
            {
                return false;
            }

            _end += n;
            return true;
        }
    }
}
