using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// EnableSendfile Off (Apache's default: the file is read and its bytes sent) and On (sendfile):
/// a file of several MiB arrives whole, byte for byte, and so does a large range of it, on one
/// keep-alive connection read by a slow client (the socket fills, so the send waits for room, or
/// with the event MPM sets the rest aside for write completion).
/// </summary>
public sealed class EnableSendfileTests
{
    private const int FileBytes = (6 * 1024 * 1024) + 123;

    [Theory]
    [InlineData("event", "Off")]
    [InlineData("event", "On")]
    [InlineData("worker", "Off")]
    [InlineData("worker", "On")]
    [InlineData("prefork", "Off")]
    public void ALargeFileAndALargeRangeOfItArriveWhole(string mpm, string setting)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig("EnableSendfile " + setting);
        byte[] data = new byte[FileBytes];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(Path.Combine(tree.DocumentRoot, "big.bin"), data);
        using var server = PlumaServer.Start(tree);

        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192, ReceiveTimeout = 30_000 };
        s.Connect("127.0.0.1", tree.Port);
        s.Send("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"u8);
        (string head, byte[] body) = ReadResponse(s);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Equal(FileBytes, body.Length);
        Assert.True(body.AsSpan().SequenceEqual(data), "the body is not the file");

        s.Send("GET /big.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=1000-4500999\r\nConnection: close\r\n\r\n"u8);
        (head, body) = ReadResponse(s);
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"Content-Range: bytes 1000-4500999/{FileBytes}\r\n", head, StringComparison.Ordinal);
        Assert.True(body.AsSpan().SequenceEqual(data.AsSpan(1000, 4_500_000)), "the range is not the file's bytes");
        Assert.Equal(0, s.Receive(new byte[1])); // Connection: close, and nothing after the body
    }

    /// <summary>One response: the head as text, then exactly Content-Length bytes of body, read in small pieces.</summary>
    private static (string Head, byte[] Body) ReadResponse(Socket s)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            Assert.Equal(1, s.Receive(one));
            head.Add(one[0]);
        }

        string text = Encoding.ASCII.GetString(head.ToArray());
        int at = text.IndexOf("Content-Length: ", StringComparison.Ordinal);
        Assert.True(at >= 0, "no Content-Length: " + text);
        int length = int.Parse(text.AsSpan(at + 16, text.IndexOf('\r', at) - at - 16), System.Globalization.CultureInfo.InvariantCulture);
        byte[] body = new byte[length];
        int total = 0;
        while (total < length)
        {
            int n = s.Receive(body, total, Math.Min(8192, length - total), SocketFlags.None);
            Assert.True(n > 0, $"the connection ended with {length - total} bytes of the body missing");
            total += n;
        }

        return (text, body);
    }
}
