using System.Text;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Modules.Ssl;

/// <summary>
/// A client that spoke plain HTTP to a TLS port (ssl_io_filter_error): as mod_ssl does, the
/// HTTP engine is given a made-up request line instead of the client's bytes, answers it in
/// plain text, and mod_ssl's post_read_request turns it into the 400 "speaking plain HTTP to
/// an SSL-enabled server port" (<see cref="SslRequestHooks"/>).
/// </summary>
internal sealed class PlainHttpConnection : Connection
{
    // What Apache 2.4.71 substitutes (it logs this request line in the access log).
    private static readonly byte[] s_fakeRequest = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n");

    private readonly Connection _inner;
    private int _pos;

    public PlainHttpConnection(Connection inner) => _inner = inner;

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        int n = Math.Min(buffer.Length, s_fakeRequest.Length - _pos);
        s_fakeRequest.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout) => _inner.Send(data, timeout);

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => _inner.SendFile(file, offset, count, timeout);

    public override void CopyFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => _inner.CopyFile(file, offset, count, timeout);

    public override bool HasPendingOutput => _inner.HasPendingOutput;

    public override void Cork(bool on) => _inner.Cork(on);

    public override void Flush() => _inner.Flush();
}
