using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;

namespace Pluma.FunctionalTests.Proxy;

/// <summary>
/// A small HTTP/1.1 backend on 127.0.0.1:0 for the proxy tests: one thread per connection,
/// keep-alive, and a few paths that behave in set ways. Every request it reads is recorded
/// with the number of the connection that carried it, so tests can see pooling and bodies.
/// </summary>
public sealed class TestBackend : LoopbackServer
{
    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(int Connection, string Method, string Target, List<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.Find(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    protected override void Serve(Socket s, int id)
    {
        try
        {
            using var stream = new NetworkStream(s, ownsSocket: true);
            var reader = new BufferedStream(stream);
            while (true)
            {
                string? line = ReadLine(reader);
                if (line is null)
                {
                    return;
                }

                string[] parts = line.Split(' ');
                var headers = new List<KeyValuePair<string, string>>();
                string? h;
                while ((h = ReadLine(reader)) is { Length: > 0 })
                {
                    int c = h.IndexOf(':', StringComparison.Ordinal);
                    headers.Add(new(h[..c], h[(c + 1)..].Trim()));
                }

                if (parts[1].Contains("/die-mid-body", StringComparison.Ordinal))
                {
                    // A backend that dies while the body arrives: it takes a little of it, then resets.
                    Requests.Enqueue(new Received(id, parts[0], parts[1], headers, []));
                    Copy(reader, Stream.Null, 1000);
                    s.LingerState = new LingerOption(true, 0);
                    s.Close();
                    return;
                }

                byte[] body = ReadBody(reader, headers);
                var req = new Received(id, parts[0], parts[1], headers, body);
                Requests.Enqueue(req);
                if (!Answer(stream, req))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static byte[] ReadBody(Stream reader, List<KeyValuePair<string, string>> headers)
    {
        string? cl = headers.Find(x => x.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        string? te = headers.Find(x => x.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Value;
        var body = new MemoryStream();
        if (te is not null)
        {
            while (true)
            {
                int size = int.Parse(ReadLine(reader)!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    ReadLine(reader);
                    break;
                }

                Copy(reader, body, size);
                ReadLine(reader);
            }
        }
        else if (cl is not null)
        {
            Copy(reader, body, long.Parse(cl, CultureInfo.InvariantCulture));
        }

        return body.ToArray();
    }

    private static void Copy(Stream from, Stream to, long count)
    {
        byte[] buf = new byte[16384];
        while (count > 0)
        {
            int n = from.Read(buf, 0, (int)Math.Min(buf.Length, count));
            if (n == 0)
            {
                throw new IOException("short body");
            }

            to.Write(buf, 0, n);
            count -= n;
        }
    }

    // true: keep the connection for the next request.
    private bool Answer(Stream s, Received req)
    {
        string path = req.Target;
        if (path.Contains("/hang", StringComparison.Ordinal))
        {
            Thread.Sleep(30_000);
            return false;
        }

        if (path.Contains("/chunked", StringComparison.Ordinal))
        {
            Write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nX-Backend: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
            return true;
        }

        if (path.Contains("/redirect", StringComparison.Ordinal))
        {
            Write(s, $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{Port}/app/landing\r\nContent-Location: http://127.0.0.1:{Port}/app/x\r\nContent-Length: 0\r\n\r\n");
            return true;
        }

        if (path.Contains("/close", StringComparison.Ordinal))
        {
            Write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end\n");
            return false;
        }

        if (path.Contains("/error", StringComparison.Ordinal))
        {
            Write(s, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nbackend 404\n");
            return true;
        }

        if (path.Contains("/big", StringComparison.Ordinal))
        {
            var big = new StringBuilder();
            for (int i = 0; i < 20000; i++)
            {
                big.Append(CultureInfo.InvariantCulture, $"line {i}\n");
            }

            byte[] bytes = Encoding.ASCII.GetBytes(big.ToString());
            Write(s, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\n\r\n");
            s.Write(bytes);
            return true;
        }

        // Echo: what arrived, as text.
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{req.Method} {req.Target} conn={req.Connection}\n");
        foreach (var (k, v) in req.Headers)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{k}: {v}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"body={req.Body.Length} sha={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(req.Body))}\n");
        byte[] text = Encoding.UTF8.GetBytes(sb.ToString());
        Write(s, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {text.Length}\r\nX-Backend: echo\r\nKeep-Alive: timeout=5\r\n\r\n");
        s.Write(text);
        return true;
    }

    private static void Write(Stream s, string text) => s.Write(Encoding.Latin1.GetBytes(text));

    private static string? ReadLine(Stream s)
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0)
            {
                return sb.Length == 0 ? null : sb.ToString();
            }

            if (b == '\n')
            {
                return sb.ToString().TrimEnd('\r');
            }

            sb.Append((char)b);
        }
    }
}
