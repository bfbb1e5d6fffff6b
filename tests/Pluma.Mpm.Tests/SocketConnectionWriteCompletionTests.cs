using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Pluma.Testing;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The transport half of event's write completion: what the socket cannot take is set aside,
/// finished later without blocking, and never reordered with what is sent after it.
/// </summary>
public sealed class SocketConnectionWriteCompletionTests : IDisposable
{
    private const int FileBytes = 16 * 1024 * 1024;

    private readonly TempDirectory _dir = new("pluma-wc-");
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, ReceiveTimeout = 20_000 };
    private readonly SocketConnection _server;
    private readonly byte[] _data = new byte[FileBytes];
    private readonly string _path;

    public SocketConnectionWriteCompletionTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client.Connect(_listener.LocalEndPoint!);
        _server = SocketConnection.TryAccept((int)_listener.Handle, 1) ?? throw new InvalidOperationException("accept failed");
        new Random(7).NextBytes(_data);
        _path = Path.Combine(_dir.Path, "data.bin");
        File.WriteAllBytes(_path, _data);
    }

    [Fact]
    public async Task AFileTheClientCannotTakeIsSetAsideAndFinishedWithoutBlocking()
    {
        _server.WriteCompletionEnabled = true;
        using (SafeFileHandle file = File.OpenHandle(_path))
        {
            _server.SendFile(file, 0, FileBytes, TimeSpan.FromSeconds(30));
        }

        // The caller's handle is closed: the set-aside part must not depend on it.
        Assert.True(_server.HasPendingOutput);
        Assert.Equal(TimeSpan.FromSeconds(30), _server.PendingOutputTimeout);
        Assert.False(_server.TryCompletePendingOutput()); // the client has read nothing yet

        Task<byte[]> read = Task.Run(() => ReadExactly(FileBytes));
        while (!_server.TryCompletePendingOutput())
        {
            Thread.Sleep(1);
        }

        Assert.False(_server.HasPendingOutput);
        Assert.Equal(SHA256.HashData(_data), SHA256.HashData((await read)));
    }

    [Fact]
    public async Task ASendAfterSetAsideOutputWaitsForItSoNothingIsReordered()
    {
        _server.WriteCompletionEnabled = true;
        using SafeFileHandle file = File.OpenHandle(_path);
        _server.SendFile(file, 0, FileBytes, TimeSpan.FromSeconds(30));
        Assert.True(_server.HasPendingOutput);

        Task<byte[]> read = Task.Run(() => ReadExactly(FileBytes + 4));
        _server.Send("TAIL"u8, TimeSpan.FromSeconds(30));
        byte[] got = (await read);
        Assert.Equal(SHA256.HashData(_data), SHA256.HashData(got.AsSpan(0, FileBytes)));
        Assert.Equal("TAIL"u8.ToArray(), got[FileBytes..]);
    }

    [Fact]
    public async Task GeneratedBytesUpToTheLimitAreCopiedAside()
    {
        _server.WriteCompletionEnabled = true;
        int filled = FillSocket();
        byte[] generated = new byte[SocketConnection.MaxSetAsideBytes];
        new Random(9).NextBytes(generated);
        _server.Send(generated, TimeSpan.FromSeconds(30));
        Assert.True(_server.HasPendingOutput);

        Task<byte[]> read = Task.Run(() => ReadExactly(filled + generated.Length));
        while (!_server.TryCompletePendingOutput())
        {
            Thread.Sleep(1);
        }

        Assert.Equal(generated, (await read)[filled..]);
    }

    [Fact]
    public async Task MoreGeneratedBytesThanTheLimitAreWaitedFor()
    {
        _server.WriteCompletionEnabled = true;
        int filled = FillSocket();
        byte[] generated = new byte[SocketConnection.MaxSetAsideBytes * 4];
        new Random(11).NextBytes(generated);
        Task<byte[]> read = Task.Run(() => ReadExactly(filled + generated.Length));
        _server.Send(generated, TimeSpan.FromSeconds(30));
        // Only the last MaxSetAsideBytes at most may still be pending.
        while (!_server.TryCompletePendingOutput())
        {
            Thread.Sleep(1);
        }

        Assert.Equal(generated, (await read)[filled..]);
    }

    [Fact]
    public async Task WithoutWriteCompletionASendFileReturnsOnlyWhenEverythingIsOut()
    {
        Task<byte[]> read = Task.Run(() => ReadExactly(FileBytes));
        using SafeFileHandle file = File.OpenHandle(_path);
        _server.SendFile(file, 0, FileBytes, TimeSpan.FromSeconds(30));
        Assert.False(_server.HasPendingOutput);
        Assert.Equal(SHA256.HashData(_data), SHA256.HashData((await read)));
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _listener.Dispose();
        _dir.Dispose();
    }

    /// <summary>Writes zeros to the server side until the kernel takes no more; returns how many.</summary>
    private int FillSocket()
    {
        using var raw = new Socket(new SafeSocketHandle(_server.Fd, ownsHandle: false)) { Blocking = false };
        byte[] zeros = new byte[64 * 1024];
        int total = 0;
        while (true)
        {
            int n = raw.Send(zeros, 0, zeros.Length, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            Assert.Equal(SocketError.Success, error);
            total += n;
        }

        return total;
    }

    private byte[] ReadExactly(int count)
    {
        byte[] into = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = _client.Receive(into, got, count - got, SocketFlags.None);
            if (n <= 0)
            {
                break;
            }

            got += n;
        }

        return into[..got];
    }
}
