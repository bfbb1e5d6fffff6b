using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Pluma.Testing;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The keep-alive wait of a thread that holds its connection (SocketConnection.WaitForNextInput):
/// one blocking recv with SO_RCVTIMEO, whose bytes the next Receive gets; the timeout, the
/// client's close, and every later call still non-blocking (sendfile included).
/// </summary>
public sealed class SocketConnectionKeepAliveWaitTests : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
    private readonly SocketConnection _server;

    public SocketConnectionKeepAliveWaitTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client.Connect(_listener.LocalEndPoint!);
        _server = SocketConnection.TryAccept((int)_listener.Handle, 1) ?? throw new InvalidOperationException("accept failed");
    }

    [Fact]
    public async Task TheBytesTheWaitReadAreWhatTheNextReceivesGetInOrder()
    {
        var wait = Task.Run(() => _server.WaitForNextInput(20_000));
        Thread.Sleep(100);
        Assert.False(wait.IsCompleted); // nothing sent yet: it waits
        _client.Send(Encoding.ASCII.GetBytes("GET /a HTTP/1.1\r\n"));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(20)));

        // Taken in pieces smaller than what was read, then the kernel's later bytes.
        byte[] buf = new byte[5];
        var got = new StringBuilder();
        while (got.Length < 17)
        {
            int n = _server.Receive(buf, TimeSpan.FromSeconds(10));
            got.Append(Encoding.ASCII.GetString(buf, 0, n));
        }

        Assert.Equal("GET /a HTTP/1.1\r\n", got.ToString());
        Assert.Equal(-1, _server.ReceiveIfReady(buf, TimeSpan.FromSeconds(10))); // nothing more: no blocking
        _client.Send(Encoding.ASCII.GetBytes("Host: x\r\n"));
        byte[] rest = new byte[64];
        Assert.Equal("Host: x\r\n", Encoding.ASCII.GetString(rest, 0, _server.Receive(rest, TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void TheWaitEndsAtItsTimeoutAndAgainAtAShorterOne()
    {
        var clock = Stopwatch.StartNew();
        Assert.False(_server.WaitForNextInput(700));
        Assert.InRange(clock.ElapsedMilliseconds, 600, 15_000);

        // A later wait with another timeout (another virtual host's KeepAliveTimeout) keeps its own.
        clock.Restart();
        Assert.False(_server.WaitForNextInput(200));
        Assert.InRange(clock.ElapsedMilliseconds, 150, 15_000);
    }

    [Fact]
    public async Task TheClientsCloseEndsTheWaitAtOnce()
    {
        var wait = Task.Run(() => _server.WaitForNextInput(60_000));
        Thread.Sleep(100);
        var clock = Stopwatch.StartNew();
        _client.Shutdown(SocketShutdown.Send);
        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(clock.ElapsedMilliseconds < 20_000);
    }

    [Fact]
    public void StashedBytesKeepTheConnectionFromClosingWithoutLingering()
    {
        _client.Send(Encoding.ASCII.GetBytes("more"));
        Assert.True(_server.WaitForNextInput(20_000));
        _server.ClientSentAll = true;
        // The client sent more than the last request: close with lingering, so no reset.
        Assert.False(_server.CloseIfClientSentAll());
        Assert.True(_server.WaitReadable(0));
    }

    [Fact]
    public async Task AfterTheWaitSendsAndSendfileStillNeverBlockPastTheirTimeout()
    {
        _client.Send([1]);
        Assert.True(_server.WaitForNextInput(20_000));
        Assert.Equal(1, _server.Receive(new byte[8], TimeSpan.FromSeconds(5)));

        // The client reads nothing: a send far larger than the socket buffers must time out.
        using var dir = new TempDirectory("pluma-kaw-");
        string path = Path.Combine(dir.Path, "big.bin");
        File.WriteAllBytes(path, new byte[32 * 1024 * 1024]);
        var clock = Stopwatch.StartNew();
        using (SafeFileHandle file = File.OpenHandle(path))
        {
            Assert.Throws<ConnectionTimeoutException>(() => _server.SendFile(file, 0, 32 * 1024 * 1024, TimeSpan.FromSeconds(1)));
        }

        Assert.InRange(clock.ElapsedMilliseconds, 0, 30_000);

        // And again after another wait (the wait clears O_NONBLOCK again; send takes MSG_DONTWAIT).
        Assert.False(await Task.Run(() => _server.WaitForNextInput(300)).WaitAsync(TimeSpan.FromSeconds(20)));
        clock.Restart();
        Assert.Throws<ConnectionTimeoutException>(() => _server.Send(new byte[32 * 1024 * 1024], TimeSpan.FromSeconds(1)));
        Assert.InRange(clock.ElapsedMilliseconds, 0, 30_000);
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _listener.Dispose();
    }
}
