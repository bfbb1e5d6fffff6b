using System.Collections.Generic;
using System.IO;
using System.Net;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Fuzz;

/// <summary>
/// A client made of scripted pieces: each Receive hands out at most one piece (the engine sees
/// the split points a slow network would make), then end of stream. What the engine sends is kept.
/// </summary>
internal sealed class ScriptedConnection : Connection
{
    private readonly Queue<byte[]> _pieces;
    private readonly MemoryStream _output = new();
    private int _offset;

    private ScriptedConnection(IEnumerable<byte[]> pieces) => _pieces = new Queue<byte[]>(pieces);

    public byte[] Output => _output.ToArray();

    public static ScriptedConnection Create(IEnumerable<byte[]> pieces) => new(pieces)
    {
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 80),
    };

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        while (_pieces.Count > 0 && _offset == _pieces.Peek().Length)
        {
            _pieces.Dequeue();
            _offset = 0;
        }

        if (_pieces.Count == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        byte[] piece = _pieces.Peek();
        int n = Math.Min(buffer.Length, piece.Length - _offset);
        piece.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout) => _output.Write(data);

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) =>
        throw new InvalidOperationException("the fuzz application sends no files");
}
