using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;

namespace Pluma.FunctionalTests.Fcgi;

/// <summary>
/// A small FastCGI responder on 127.0.0.1:0, written from the specification (not with Pluma's
/// codec), for what php-fpm cannot be made to do on cue: hang, close mid-response, pad its
/// records, answer over several records, count connections. The REQUEST_URI picks the behaviour.
/// </summary>
public sealed class FakeFcgiBackend : LoopbackServer
{
    protected override void Serve(Socket s, int id)
    {
        try
        {
            using var stream = new NetworkStream(s, ownsSocket: true);
            for (int served = 1; ; served++)
            {
                bool keep = false;
                var parameters = new MemoryStream();
                var stdin = new MemoryStream();
                while (true)
                {
                    byte[] h = ReadExactly(stream, 8);
                    if (h.Length == 0)
                    {
                        return;
                    }

                    int type = h[1];
                    int length = BinaryPrimitives.ReadUInt16BigEndian(h.AsSpan(4));
                    byte[] content = ReadExactly(stream, length + h[6]);
                    if (type == 1)
                    {
                        keep = (content[2] & 1) != 0;
                    }
                    else if (type == 4)
                    {
                        parameters.Write(content, 0, length);
                    }
                    else if (type == 5)
                    {
                        if (length == 0)
                        {
                            break;
                        }

                        stdin.Write(content, 0, length);
                    }
                }

                Dictionary<string, string> p = DecodePairs(parameters.ToArray());
                string uri = p.GetValueOrDefault("REQUEST_URI", "");
                if (uri.Contains("/hang", StringComparison.Ordinal))
                {
                    Stopped.WaitOne();
                    return;
                }

                if (uri.Contains("/cut", StringComparison.Ordinal))
                {
                    Record(stream, 6, Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\n" + new string('c', 5000)), 0);
                    return; // closes mid-response, no FCGI_END_REQUEST
                }

                if (uri.Contains("/bad-version", StringComparison.Ordinal))
                {
                    stream.Write(new byte[] { 2, 6, 0, 1, 0, 0, 0, 0 });
                    return;
                }

                if (uri.Contains("/stderr", StringComparison.Ordinal))
                {
                    Record(stream, 7, Encoding.ASCII.GetBytes("first complaint"), 0);
                }

                if (uri.Contains("/big", StringComparison.Ordinal))
                {
                    // 200,000 bytes in records of 30,001 bytes, each padded to a multiple of 8.
                    Record(stream, 6, "Content-Type: application/octet-stream\r\nX-Fake: big\r\n\r\n"u8.ToArray(), 0);
                    for (int left = 200_000; left > 0; left -= 30_001)
                    {
                        byte[] piece = new byte[Math.Min(left, 30_001)];
                        Array.Fill(piece, (byte)'b');
                        Record(stream, 6, piece, (8 - (piece.Length % 8)) % 8);
                    }
                }
                else
                {
                    var body = new StringBuilder();
                    body.Append(CultureInfo.InvariantCulture, $"conn={id} served={served} keep={(keep ? 1 : 0)}\n");
                    foreach (var (name, value) in p)
                    {
                        body.Append(name).Append('=').Append(value).Append('\n');
                    }

                    body.Append(CultureInfo.InvariantCulture, $"stdin={stdin.Length} sha={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stdin.ToArray()))}\n");
                    Record(stream, 6, Encoding.Latin1.GetBytes("Status: 201 Made Here\r\nContent-Type: text/plain\r\nX-Fake: echo\r\n\r\n" + body), 3);
                }

                Record(stream, 6, [], 0);
                Record(stream, 3, new byte[8], 0);
                if (!keep)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static void Record(Stream s, byte type, byte[] content, int padding)
    {
        byte[] h = [1, type, 0, 1, (byte)(content.Length >> 8), (byte)content.Length, (byte)padding, 0];
        s.Write(h);
        s.Write(content);
        s.Write(new byte[padding]);
    }

    private static byte[] ReadExactly(Stream s, int n)
    {
        byte[] b = new byte[n];
        int at = 0;
        while (at < n)
        {
            int got = s.Read(b, at, n - at);
            if (got == 0)
            {
                return at == 0 ? [] : throw new EndOfStreamException();
            }

            at += got;
        }

        return b;
    }

    private static Dictionary<string, string> DecodePairs(byte[] b)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = 0;
        while (i < b.Length)
        {
            int nl = Length(b, ref i);
            int vl = Length(b, ref i);
            d[Encoding.Latin1.GetString(b, i, nl)] = Encoding.Latin1.GetString(b, i + nl, vl);
            i += nl + vl;
        }

        return d;
    }

    private static int Length(byte[] b, ref int i)
    {
        if (b[i] < 128)
        {
            return b[i++];
        }

        int n = (int)(BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(i)) & 0x7fffffff);
        i += 4;
        return n;
    }
}
