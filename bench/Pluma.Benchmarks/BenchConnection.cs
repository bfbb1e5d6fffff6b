using System.IO;
using System.Net;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Benchmarks;

/// <summary>
/// An in-memory connection that hands out one canned request per <see cref="Rewind"/> and
/// drops what is sent (only counting it), so a benchmark measures the engine alone.
/// </summary>
public sealed class BenchConnection : Connection
{
    private readonly byte[] _request;
    private readonly byte[] _fileScratch = new byte[64 * 1024];
    private int _offset;

    public BenchConnection(byte[] request)
    {
        _request = request;
        _offset = request.Length;
    }

    public long BytesSent { get; private set; }

    public static BenchConnection Create(byte[] request) => new(request)
    {
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 80),
    };

    /// <summary>The next Serve call reads the request again (the keep-alive connection's next request).</summary>
    public void Rewind() => _offset = 0;

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        int n = Math.Min(buffer.Length, _request.Length - _offset);
        _request.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout) => BytesSent += data.Length;

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        // Read the file as sendfile(2) would, without a socket to write to.
        while (count > 0)
        {
            int n = RandomAccess.Read(file, _fileScratch.AsSpan(0, (int)Math.Min(_fileScratch.Length, count)), offset);
            if (n <= 0)
            {
                break;
            }

            BytesSent += n;
            offset += n;
            count -= n;
        }
    }
}
