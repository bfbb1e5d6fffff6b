using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// A connection whose PROXY protocol header has been read: its RemoteEndPoint is the client the
/// header named (PeerEndPoint stays the proxy), and the bytes read past the header are given to
/// the protocol above before anything more from the socket.
/// </summary>
internal sealed class ProxiedConnection : Connection
{
    private readonly Connection _inner;
    private byte[]? _ahead;
    private int _aheadPos;
    private int _aheadEnd;

    public ProxiedConnection(Connection inner, byte[] ahead, int start, int end)
    {
        _inner = inner;
        if (end > start)
        {
            _ahead = ahead[start..end];
            _aheadEnd = _ahead.Length;
        }
    }

    public override int Receive(Span<byte> buffer, TimeSpan timeout) =>
        TakeAhead(buffer) is int n and > 0 ? n : _inner.Receive(buffer, timeout);

    public override int ReceiveIfReady(Span<byte> buffer, TimeSpan timeout) =>
        TakeAhead(buffer) is int n and > 0 ? n : _inner.ReceiveIfReady(buffer, timeout);

    public override bool HoldsPartialInput => _inner.HoldsPartialInput;

    private int TakeAhead(Span<byte> buffer)
    {
        if (_ahead is null || buffer.IsEmpty)
        {
            return 0;
        }

        int n = Math.Min(buffer.Length, _aheadEnd - _aheadPos);
        _ahead.AsSpan(_aheadPos, n).CopyTo(buffer);
        _aheadPos += n;
        if (_aheadPos == _aheadEnd)
        {
            _ahead = null;
        }

        return n;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout) => _inner.Send(data, timeout);

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => _inner.SendFile(file, offset, count, timeout);

    public override void CopyFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => _inner.CopyFile(file, offset, count, timeout);

    public override void Cork(bool on) => _inner.Cork(on);

    public override bool IsSecure => _inner.IsSecure;

    public override bool HasPendingOutput => _inner.HasPendingOutput;

    public override void Flush() => _inner.Flush();
}
