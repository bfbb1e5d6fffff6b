using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pluma.Testing;

/// <summary>
/// Sends raw bytes to a server on loopback and reads what comes back: the way to test exactly
/// what goes over the wire, malformed requests included.
/// </summary>
public sealed class RawHttp : IDisposable
{
    private readonly Socket _socket;

    public RawHttp(int port, IPAddress? address = null, int timeoutMs = 10_000)
    {
        address ??= IPAddress.Loopback;
        _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = timeoutMs,
            SendTimeout = timeoutMs,
            NoDelay = true,
        };
        _socket.Connect(new IPEndPoint(address, port));
    }

    public Socket Socket => _socket;

    public void Send(string text) => Send(Encoding.Latin1.GetBytes(text));

    public void Send(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Reads until the peer closes the connection (or the timeout).</summary>
    public string ReadToEnd()
    {
        var ms = new MemoryStream();
        var buf = new byte[65536];
        try
        {
            int n;
            while ((n = _socket.Receive(buf)) > 0)
            {
                ms.Write(buf, 0, n);
            }
        }
        catch (SocketException)
        {
        }

        return Encoding.Latin1.GetString(ms.ToArray());
    }

    /// <summary>Reads one response: head, then a Content-Length body (or to close).</summary>
    public HttpResponseText ReadResponse(bool headRequest = false)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (_socket.Receive(one) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        var response = HttpResponseText.ParseHead(head.ToString());
        if (headRequest || response.Status is 204 or 304 || response.Status < 200)
        {
            return response;
        }

        string? cl = response.Header("Content-Length");
        string? te = response.Header("Transfer-Encoding");
        byte[] body;
        if (cl is not null)
        {
            body = ReadExactly(int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (te is not null && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = ReadChunked();
        }
        else
        {
            body = Encoding.Latin1.GetBytes(ReadToEnd());
        }

        return response with { Body = body };
    }

    private byte[] ReadExactly(int count)
    {
        var buf = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = _socket.Receive(buf, got, count - got, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException($"connection closed after {got} of {count} body bytes");
            }

            got += n;
        }

        return buf;
    }

    private string ReadLine()
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (!sb.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (_socket.Receive(one) == 0)
            {
                break;
            }

            sb.Append((char)one[0]);
        }

        return sb.ToString()[..^2];
    }

    private byte[] ReadChunked()
    {
        var ms = new MemoryStream();
        while (true)
        {
            string sizeLine = ReadLine();
            int semi = sizeLine.IndexOf(';', StringComparison.Ordinal);
            int size = Convert.ToInt32(semi >= 0 ? sizeLine[..semi] : sizeLine, 16);
            if (size == 0)
            {
                while (ReadLine().Length > 0)
                {
                }

                return ms.ToArray();
            }

            ms.Write(ReadExactly(size));
            ReadLine();
        }
    }

    public void Dispose() => _socket.Dispose();
}
