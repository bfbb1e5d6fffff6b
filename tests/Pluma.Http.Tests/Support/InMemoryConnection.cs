using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Http.Tests.Support;

/// <summary>
/// A scripted connection: Receive hands out the queued pieces one by one; when the script is
/// used up it reports end of stream, or a timeout when <see cref="TimeoutWhenEmpty"/> is set.
/// </summary>
public sealed class InMemoryConnection : Connection
{
    private readonly Queue<byte[]> _input = new();
    private readonly MemoryStream _output = new();

    public bool TimeoutWhenEmpty { get; set; }

    /// <summary>When the script is used up, <see cref="ReceiveIfReady"/> says "nothing yet" (-1), as a non-blocking socket does.</summary>
    public bool DeferWhenEmpty { get; set; }

    public override int ReceiveIfReady(Span<byte> buffer, TimeSpan timeout) =>
        DeferWhenEmpty && _input.Count == 0 ? -1 : Receive(buffer, timeout);

    /// <summary>What <see cref="HoldsPartialInput"/> says (a TLS connection holding part of a record).</summary>
    public bool PartialInput { get; set; }

    public override bool HoldsPartialInput => PartialInput;

    public List<TimeSpan> ReceiveTimeouts { get; } = [];

    public int SendCalls { get; private set; }

    /// <summary>How many of <see cref="SendCalls"/> were SendFile (sendfile(2) on a socket).</summary>
    public int SendFileCalls { get; private set; }

    public InMemoryConnection Enqueue(string latin1) => Enqueue(Encoding.Latin1.GetBytes(latin1));

    public InMemoryConnection Enqueue(byte[] bytes)
    {
        _input.Enqueue(bytes);
        return this;
    }

    public string Output => Encoding.Latin1.GetString(_output.ToArray());

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        ReceiveTimeouts.Add(timeout);
        if (_input.Count == 0)
        {
            if (TimeoutWhenEmpty)
            {
                throw new ConnectionTimeoutException();
            }

            return 0;
        }

        byte[] next = _input.Peek();
        int n = Math.Min(next.Length, buffer.Length);
        next.AsSpan(0, n).CopyTo(buffer);
        _input.Dequeue();
        if (n < next.Length)
        {
            // Give back what did not fit, in front of the queue.
            var rest = new Queue<byte[]>();
            rest.Enqueue(next[n..]);
            while (_input.Count > 0)
            {
                rest.Enqueue(_input.Dequeue());
            }

            while (rest.Count > 0)
            {
                _input.Enqueue(rest.Dequeue());
            }
        }

        return n;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        SendCalls++;
        _output.Write(data);
    }

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        SendCalls++;
        SendFileCalls++;
        byte[] bytes = new byte[count];
        RandomAccess.Read(file, bytes, offset);
        _output.Write(bytes);
    }

    public static InMemoryConnection Create() => new()
    {
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 80),
    };
}
