using System.Collections.Generic;
using System.IO;
using System.Net;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Pluma.Modules.Ssl;

namespace Pluma.Modules.Tests.Ssl;

/// <summary>
/// ConnectionStream's held output (the TLS records of an HTTP/1.1 connection wait until it would
/// wait for its client, so a session ticket, a response and a close_notify share one send): what
/// leaves when, and in how many sends.
/// </summary>
public sealed class SslConnectionStreamTests
{
    [Fact]
    public void HeldRecordsLeaveTogetherWhenSent()
    {
        var socket = new CountingConnection();
        var stream = new ConnectionStream(socket) { HoldOutput = true };
        stream.Write(new byte[79]); // a session ticket
        stream.Write(new byte[365]); // a response
        stream.Flush(); // SslStream's flush after a handshake message sends nothing
        Assert.Empty(socket.Sends);
        Assert.True(stream.SendHeld());
        Assert.Equal([444], socket.Sends);
        Assert.False(stream.SendHeld());
        Assert.False(stream.HasHeldOutput);
    }

    [Fact]
    public void ABlockingReadSendsWhatIsHeldThenWaitsForTheAnswer()
    {
        var socket = new CountingConnection { Input = [0x16, 3, 3, 0, 1, 0] };
        var stream = new ConnectionStream(socket) { HoldOutput = true };
        stream.Write(new byte[241]); // the server's flight
        byte[] buffer = new byte[64];
        Assert.Equal(6, stream.Read(buffer));
        Assert.Equal([241], socket.Sends);
        Assert.Equal(["send", "wait", "receive"], socket.Calls);
    }

    [Fact]
    public void ANonBlockingReadLeavesTheOutputHeld()
    {
        var socket = new CountingConnection();
        var stream = new ConnectionStream(socket) { HoldOutput = true, NonBlocking = true };
        stream.Write(new byte[100]);
        Assert.Throws<WouldBlockException>(() => stream.Read(new byte[64]));
        Assert.Empty(socket.Sends);
        Assert.True(stream.HasHeldOutput);
    }

    [Fact]
    public void PastTheLimitHeldAndNewLeaveInOneSendAndLargeRecordsAtOnce()
    {
        var socket = new CountingConnection();
        var stream = new ConnectionStream(socket) { HoldOutput = true };
        stream.Write(new byte[2000]);
        stream.Write(new byte[16 * 1024 + 29]); // a full record after a response's head
        Assert.Equal([2000 + (16 * 1024) + 29], socket.Sends);
        stream.Write(new byte[20 * 1024]); // nothing held: straight out
        Assert.Equal(2, socket.Sends.Count);
        Assert.False(stream.HasHeldOutput);
    }

    [Fact]
    public void WithoutHoldingEveryWriteIsASend()
    {
        var socket = new CountingConnection();
        var stream = new ConnectionStream(socket);
        stream.Write(new byte[10]);
        stream.Write(new byte[20]);
        Assert.Equal([10, 20], socket.Sends);
    }

    /// <summary>A socket that records its sends and the order of its calls, with fixed input (none: would block).</summary>
    private sealed class CountingConnection : Connection
    {
        [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
        public CountingConnection()
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000);
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 443);
        }

        public byte[] Input { get; init; } = [];

        public List<int> Sends { get; } = [];

        public List<string> Calls { get; } = [];

        public override int Receive(Span<byte> buffer, TimeSpan timeout)
        {
            Calls.Add("receive");
            if (Input.Length == 0)
            {
                throw new ConnectionTimeoutException("no input");
            }

            Input.CopyTo(buffer);
            return Input.Length;
        }

        public override int ReceiveIfReady(Span<byte> buffer, TimeSpan timeout)
        {
            Calls.Add("receive-if-ready");
            if (Input.Length == 0)
            {
                return -1;
            }

            Input.CopyTo(buffer);
            return Input.Length;
        }

        public override bool WaitForReadable(TimeSpan timeout)
        {
            Calls.Add("wait");
            return true;
        }

        public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
        {
            Calls.Add("send");
            Sends.Add(data.Length);
        }

        public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => throw new NotSupportedException();
    }
}
