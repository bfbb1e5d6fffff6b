using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Pluma.Testing;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// A file send through a slow client (the file whole and in order, from an offset, after a send
/// from memory), by sendfile and copied (EnableSendfile Off, with and without write completion),
/// and TCP_CORK as the response asks for it (a Flush uncorks, the next send corks
/// again).
/// </summary>
public sealed class SocketConnectionFileSendTests : IDisposable
{
    private const int IPPROTO_TCP = 6;
    private const int TCP_CORK = 3;
    private const int FileBytes = 3 * 1024 * 1024;

    private readonly TempDirectory _dir = new("pluma-fs-");
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192, ReceiveTimeout = 20_000 };
    private readonly SocketConnection _server;
    private readonly Socket _raw;
    private readonly byte[] _data = new byte[FileBytes];
    private readonly string _path;

    public SocketConnectionFileSendTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client.Connect(_listener.LocalEndPoint!);
        _server = SocketConnection.TryAccept((int)_listener.Handle, 1) ?? throw new InvalidOperationException("accept failed");
        _raw = new Socket(new SafeSocketHandle(_server.Fd, ownsHandle: false));
        new Random(11).NextBytes(_data);
        _path = Path.Combine(_dir.Path, "data.bin");
        File.WriteAllBytes(_path, _data);
    }

    [Fact]
    public Task TheFileArrivesWholeThroughASlowClient() =>
        TwoResponsesArriveWholeThroughASlowClient((file, offset, count) => _server.SendFile(file, offset, count, TimeSpan.FromSeconds(30)));

    [Fact]
    public Task ACopiedFileArrivesWholeThroughASlowClient() =>
        // EnableSendfile Off: the same sends, read through user space instead of sendfile.
        TwoResponsesArriveWholeThroughASlowClient((file, offset, count) => _server.CopyFile(file, offset, count, TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task WithWriteCompletionACopiedFileIsSetAsideAndFinishedLater()
    {
        _server.WriteCompletionEnabled = true;
        int copies = 0;
        using (SafeFileHandle file = File.OpenHandle(_path))
        {
            // Nobody reads yet: once the socket is full (its send buffer grows to a few MiB over
            // loopback), the rest of a copy is set aside on the connection.
            while (!_server.HasPendingOutput && copies < 32)
            {
                _server.CopyFile(file, 10, FileBytes - 10, TimeSpan.FromSeconds(30));
                copies++;
            }
        }

        Assert.True(_server.HasPendingOutput);
        Task<byte[]> read = Task.Run(() => ReadExactly(copies * (FileBytes - 10), pauseEvery: 0));
        while (!_server.TryCompletePendingOutput())
        {
            await Task.Delay(1);
        }

        byte[] got = await read.WaitAsync(TimeSpan.FromSeconds(60));
        for (int i = 0; i < copies; i++)
        {
            Assert.True(got.AsSpan(i * (FileBytes - 10), FileBytes - 10).SequenceEqual(_data.AsSpan(10)));
        }
    }

    [Fact]
    public async Task AFlushUncorksAndTheNextSendOfACorkedResponseCorksAgain()
    {
        _server.Cork(true);
        Assert.Equal(1, TcpOption(TCP_CORK));
        _server.Send("head"u8, TimeSpan.FromSeconds(5));
        _server.Flush();
        Assert.Equal(0, TcpOption(TCP_CORK)); // pushed out: the client gets the bytes now
        byte[] head = await Task.Run(() => ReadExactly(4, pauseEvery: 0)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("head"u8.ToArray(), head);

        _server.Send("body"u8, TimeSpan.FromSeconds(5));
        Assert.Equal(1, TcpOption(TCP_CORK)); // still the same corked response
        _server.Flush();
        _server.Cork(false);
        Assert.Equal(0, TcpOption(TCP_CORK));
        _server.Send("next"u8, TimeSpan.FromSeconds(5));
        Assert.Equal(0, TcpOption(TCP_CORK)); // uncorked by the caller: stays so
        byte[] rest = await Task.Run(() => ReadExactly(8, pauseEvery: 0)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("bodynext"u8.ToArray(), rest);
    }

    private int TcpOption(int name)
    {
        byte[] value = new byte[4];
        Assert.Equal(4, _raw.GetRawSocketOption(IPPROTO_TCP, name, value));
        return BitConverter.ToInt32(value);
    }

    /// <summary>
    /// The client reads slowly, so the send meets a full window many times and waits for room; a
    /// second response follows on the same connection (keep-alive), from an offset, after a
    /// blocking wait. Both arrive whole and in order.
    /// </summary>
    private async Task TwoResponsesArriveWholeThroughASlowClient(Action<SafeFileHandle, long, long> sendFile)
    {
        Task<byte[]> read = Task.Run(() => ReadExactly(2 * FileBytes, pauseEvery: 64 * 1024));
        using (SafeFileHandle file = File.OpenHandle(_path))
        {
            sendFile(file, 0, FileBytes);
            _server.Send(_data.AsSpan(0, 100), TimeSpan.FromSeconds(30));
            sendFile(file, 100, FileBytes - 100);
        }

        byte[] got = await read.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(got.AsSpan(0, FileBytes).SequenceEqual(_data));
        Assert.True(got.AsSpan(FileBytes, 100).SequenceEqual(_data.AsSpan(0, 100)));
        Assert.True(got.AsSpan(FileBytes + 100).SequenceEqual(_data.AsSpan(100)));
    }

    private byte[] ReadExactly(int count, int pauseEvery)
    {
        byte[] got = new byte[count];
        int total = 0, sincePause = 0;
        while (total < count)
        {
            int n = _client.Receive(got, total, Math.Min(8192, count - total), SocketFlags.None);
            if (n == 0)
            {
                throw new IOException($"closed after {total} of {count} bytes");
            }

            total += n;
            sincePause += n;
            if (pauseEvery > 0 && sincePause >= pauseEvery)
            {
                sincePause = 0;
                Thread.Sleep(2);
            }
        }

        return got;
    }

    public void Dispose()
    {
        _raw.Dispose();
        _server.Dispose();
        _client.Dispose();
        _listener.Dispose();
        _dir.Dispose();
    }
}
