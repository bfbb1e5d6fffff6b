using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Http.Tests.Support;

/// <summary>A test-only <see cref="Connection"/> over a blocking socket (the real transport lives in Pluma.Transport).</summary>
public sealed class LoopbackConnection : Connection, IDisposable
{
    private readonly Socket _socket;

    public LoopbackConnection(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
    }

    public bool HasPendingInput => _socket.Available > 0 || _socket.Poll(0, SelectMode.SelectRead);

    public static LoopbackConnection Accept(Socket listener)
    {
        Socket socket = listener.Accept();
        return new LoopbackConnection(socket)
        {
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!,
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!,
        };
    }

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        if (!_socket.Poll(timeout, SelectMode.SelectRead))
        {
            throw new ConnectionTimeoutException();
        }

        try
        {
            return _socket.Receive(buffer);
        }
        catch (SocketException ex)
        {
            throw new ConnectionResetException(ex.Message, ex);
        }
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        try
        {
            while (!data.IsEmpty)
            {
                data = data[_socket.Send(data)..];
            }
        }
        catch (SocketException ex)
        {
            throw new ConnectionResetException(ex.Message, ex);
        }
    }

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                int n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, count)), offset);
                if (n <= 0)
                {
                    throw new IOException("The file ended early.");
                }

                Send(buffer.AsSpan(0, n), timeout);
                offset += n;
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _socket.Dispose();
}
