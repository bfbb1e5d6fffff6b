using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pluma.FunctionalTests;

/// <summary>
/// A keep-alive HTTP/1.1 client for load in tests: sends requests in pipelined batches and
/// reads the responses through one buffer (RawHttp reads a byte per call, too slow for
/// thousands of requests). Responses must carry Content-Length, as Pluma's files and error
/// pages do. <see cref="Send"/> and <see cref="ReadResponse()"/> let a test write requests in
/// pieces of its own choosing and read the answers apart from them.
/// </summary>
internal sealed class PipelinedClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    /// <param name="port">The server's port on 127.0.0.1.</param>
    /// <param name="timeoutMs">How long one send or receive may wait.</param>
    /// <param name="receiveBuffer">The socket's receive buffer (0: the system's), small to make the server wait to write.</param>
    public PipelinedClient(int port, int timeoutMs = 30_000, int receiveBuffer = 0)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = timeoutMs,
            SendTimeout = timeoutMs,
            NoDelay = true,
        };
        if (receiveBuffer > 0)
        {
            _socket.ReceiveBufferSize = receiveBuffer;
        }

        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>A GET for <paramref name="path"/> on a keep-alive connection.</summary>
    public static string Get(string path, string userAgent = "pluma-test") =>
        "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + userAgent + "\r\n\r\n";

    /// <summary>Sends every request, <paramref name="depth"/> at a time, and returns the statuses in order.</summary>
    public List<int> Exchange(IReadOnlyList<string> requests, int depth = 50)
    {
        var statuses = new List<int>(requests.Count);
        for (int i = 0; i < requests.Count; i += depth)
        {
            var batch = new StringBuilder();
            int n = Math.Min(depth, requests.Count - i);
            for (int j = 0; j < n; j++)
            {
                batch.Append(requests[i + j]);
            }

            _socket.Send(Encoding.Latin1.GetBytes(batch.ToString()));
            for (int j = 0; j < n; j++)
            {
                statuses.Add(ReadResponse());
            }
        }

        return statuses;
    }

    /// <summary>One request, one response: its status.</summary>
    public int Fetch(string path) => Exchange([Get(path)], 1)[0];

    /// <summary>Writes <paramref name="text"/> as it is, in one send.</summary>
    public void Send(string text) => _socket.Send(Encoding.Latin1.GetBytes(text));

    /// <summary>Reads the next response; its status.</summary>
    public int ReadResponse() => ReadResponse(out _);

    /// <summary>Reads the next response; its status, and its body's length in <paramref name="length"/>.</summary>
    public int ReadResponse(out long length)
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            Fill();
        }

        string head = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start);
        int status = int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture);
        length = -1;
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
            }
        }

        if (length < 0)
        {
            throw new InvalidDataException("response without Content-Length:\n" + head);
        }

        _start = headEnd + 4;
        for (long left = length; left > 0;)
        {
            if (_start == _end)
            {
                Fill();
            }

            int take = (int)Math.Min(left, _end - _start);
            _start += take;
            left -= take;
        }

        return status;
    }

    public void Dispose() => _socket.Dispose();

    private int IndexOfHeadEnd()
    {
        int i = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
        return i < 0 ? -1 : _start + i;
    }

    private void Fill()
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

        int n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (n == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += n;
    }
}
