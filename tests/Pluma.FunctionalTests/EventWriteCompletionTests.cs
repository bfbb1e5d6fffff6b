using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Event's write completion (server/mpm/event/event.c, process_socket in
/// CONN_STATE_WRITE_COMPLETION, then listener_thread): a client slower than its response does not
/// hold a worker thread; the listener finishes the response when the socket is writable, then
/// the connection goes on to keep-alive or closes.
/// </summary>
public sealed class EventWriteCompletionTests
{
    // Far more than the socket buffers on both sides of a loopback connection can hold
    // (the client's receive buffer is shrunk to 4 KiB), so the response must wait for the client.
    private const int BigFileBytes = 32 * 1024 * 1024;

    // One child with two workers: four clients that read nothing would take every worker, and
    // then some, if a slow reader held its worker.
    private const string TwoWorkers = ThreadedMpmBlocks.OneChildTwoWorkers;

    [Fact]
    public void SlowReadersOfLargeFilesHoldNoWorker()
    {
        using var tree = TreeWithBigFile(out byte[] digest);
        using var server = PlumaServer.Start(tree);
        var readers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                readers.Add(RequestWithoutReading(tree.Port, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            }

            Dictionary<string, string> status = WaitForStatus(tree.Port, s => s.Int("ConnsAsyncWriting") == 4);
            Assert.Equal("4", status["ConnsAsyncWriting"]);
            Assert.Equal(1, status.Int("BusyWorkers")); // the status request itself
            Assert.Equal(1, status.Int("IdleWorkers"));

            // The first reader now takes its whole response, byte for byte, and the connection is
            // still alive for a second request.
            Socket first = readers[0];
            (string head, byte[] bodyDigest) = ReadResponse(first, hashBody: true);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
            Assert.Contains($"Content-Length: {BigFileBytes}\r\n", head, StringComparison.Ordinal);
            Assert.Equal(digest, bodyDigest);
            first.Send("HEAD /big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8);
            (string second, _) = ReadResponse(first, hashBody: false);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", second, StringComparison.Ordinal);
        }
        finally
        {
            readers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void SlowReadersThatPipelineHoldNoWorker()
    {
        // slowhttptest -X pipelines its requests: the second one was served at once, and its
        // first send waited on the worker for the first response's tail.
        using var tree = TreeWithBigFile(out byte[] digest);
        using var server = PlumaServer.Start(tree);
        const string Pipelined = "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        var readers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                readers.Add(RequestWithoutReading(tree.Port, Pipelined));
            }

            Dictionary<string, string> status = WaitForStatus(tree.Port, s => s.Int("ConnsAsyncWriting") == 4);
            Assert.Equal("4", status["ConnsAsyncWriting"]);
            Assert.Equal(1, status.Int("BusyWorkers")); // the status request itself

            // Every pipelined answer still arrives, in order and whole.
            Socket first = readers[0];
            (string head, byte[] bodyDigest) = ReadResponse(first, hashBody: true);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
            Assert.Equal(digest, bodyDigest);
            (string second, _) = ReadResponse(first, hashBody: false);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", second, StringComparison.Ordinal);
            Assert.Contains($"Content-Length: {BigFileBytes}\r\n", second, StringComparison.Ordinal);
            (string third, byte[] thirdDigest) = ReadResponse(first, hashBody: true);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", third, StringComparison.Ordinal);
            Assert.Equal(digest, thirdDigest);
        }
        finally
        {
            readers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void AClientThatStopsReadingIsDroppedAfterTimeout()
    {
        using var tree = TreeWithBigFile(out _);
        tree.AppendToMainConfig("Timeout 2");
        using var server = PlumaServer.Start(tree);
        using Socket stalled = RequestWithoutReading(tree.Port, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        WaitForStatus(tree.Port, s => s.Int("ConnsAsyncWriting") == 1);
        var sw = Stopwatch.StartNew();
        Dictionary<string, string> after = WaitForStatus(tree.Port, s => s.Int("ConnsAsyncWriting") == 0 && s.Int("ConnsTotal") <= 1);
        Assert.True(sw.ElapsedMilliseconds >= 1_000, $"dropped after {sw.ElapsedMilliseconds} ms, before Timeout 2");
        Assert.Equal("0", after["ConnsAsyncWriting"]);

        // What the client gets is a short response followed by the end of the stream.
        long received = DrainUntilClosed(stalled);
        Assert.InRange(received, 1, BigFileBytes - 1);
    }

    [Fact]
    public void GracefulStopLetsAResponseInWriteCompletionFinish()
    {
        using var tree = TreeWithBigFile(out byte[] digest);
        using var server = PlumaServer.Start(tree);
        using Socket reader = RequestWithoutReading(tree.Port, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        WaitForStatus(tree.Port, s => s.Int("ConnsAsyncWriting") == 1);
        server.Signal(NativeSignals.SIGWINCH);
        Thread.Sleep(500);
        (string head, byte[] bodyDigest) = ReadResponse(reader, hashBody: true);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Equal(digest, bodyDigest);
        Assert.True(server.WaitForExit(15_000), "the parent did not exit once the response was written");
    }

    private static TempConfTree TreeWithBigFile(out byte[] digest)
    {
        var tree = new TempConfTree();
        tree.SwitchMpm("event");
        tree.WriteConf("mods-available/mpm_event.conf", TwoWorkers);
        byte[] data = new byte[BigFileBytes];
        new Random(42).NextBytes(data);
        File.WriteAllBytes(Path.Combine(tree.DocumentRoot, "big.bin"), data);
        digest = SHA256.HashData(data);
        return tree;
    }

    private static Socket RequestWithoutReading(int port, string request)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, ReceiveTimeout = 20_000 };
        s.Connect("127.0.0.1", port);
        s.Send(Encoding.ASCII.GetBytes(request));
        return s;
    }

    private static Dictionary<string, string> WaitForStatus(int port, Func<Dictionary<string, string>, bool> condition)
    {
        Dictionary<string, string> status = ServerStatus.Auto(port);
        var sw = Stopwatch.StartNew();
        while (!condition(status) && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(100);
            status = ServerStatus.Auto(port);
        }

        return status;
    }

    /// <summary>Reads one response: its head as text and (for a Content-Length body) the SHA-256 of the body.</summary>
    private static (string Head, byte[] BodyDigest) ReadResponse(Socket s, bool hashBody)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            Assert.Equal(1, s.Receive(one));
            head.Add(one[0]);
        }

        string text = Encoding.ASCII.GetString(head.ToArray());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (hashBody)
        {
            long left = BigFileBytes;
            byte[] buffer = new byte[64 * 1024];
            while (left > 0)
            {
                int n = s.Receive(buffer, 0, (int)Math.Min(buffer.Length, left), SocketFlags.None);
                Assert.True(n > 0, $"the connection ended with {left} bytes of the body missing");
                hash.AppendData(buffer, 0, n);
                left -= n;
            }
        }

        return (text, hash.GetHashAndReset());
    }

    private static long DrainUntilClosed(Socket s)
    {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0)
            {
                total += n;
            }
        }
        catch (SocketException)
        {
            // A reset ends the stream as well.
        }

        return total;
    }
}
