using System.IO;
using System.Net;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Modules.Tests.Support;

/// <summary>A connection whose input is one fixed byte string and whose output is collected.</summary>
public sealed class MemoryConnection : Connection
{
    private readonly byte[] _input;
    private readonly MemoryStream _output = new();
    private int _read;

    public MemoryConnection(string request) => _input = Encoding.Latin1.GetBytes(request);

    public string Output => Encoding.Latin1.GetString(_output.ToArray());

    public bool HasPendingInput => _read < _input.Length;

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        int n = Math.Min(buffer.Length, _input.Length - _read);
        _input.AsSpan(_read, n).CopyTo(buffer);
        _read += n;
        return n;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout) => _output.Write(data);

    /// <summary>How many times the transport's SendFile (sendfile(2) on a socket) was called.</summary>
    public int SendFileCalls { get; private set; }

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        SendFileCalls++;
        byte[] bytes = new byte[count];
        RandomAccess.Read(file, bytes, offset);
        _output.Write(bytes);
    }

    public static MemoryConnection For(string request, IPAddress? client = null) => new(request)
    {
        RemoteEndPoint = new IPEndPoint(client ?? IPAddress.Loopback, 40000),
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 8080),
    };
}
