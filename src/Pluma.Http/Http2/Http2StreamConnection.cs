using System.IO;
using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Http.Http2;

/// <summary>
/// One stream as the HTTP/1.1 engine sees a connection (mod_http2's secondary connection): it
/// reads the request head and body the stream received, and what it writes becomes the stream's
/// HEADERS and DATA frames. A file sent with sendfile is copied into DATA frames.
/// </summary>
internal sealed class Http2StreamConnection : Connection
{
    private const int FileChunk = 16384;

    private readonly Http2Connection _session;
    private readonly Http2Stream _stream;
    private readonly Http2ResponseTranslator _translator;

    public Http2StreamConnection(Http2Connection session, Http2Stream stream, Http2ResponseTranslator translator)
    {
        _session = session;
        _stream = stream;
        _translator = translator;
    }

    public override bool IsSecure => _session.Transport.IsSecure;

    public override string? RequestProtocol => "HTTP/2.0";

    public override string ProtocolName => _session.ProtocolName;

    public override int Receive(Span<byte> buffer, TimeSpan timeout) => _session.ReadStream(_stream, buffer, timeout);

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        _translator.Write(data);
        _session.Flush();
    }

    // A stream has no sendfile: SendFile already reads the file in DATA-frame-sized pieces.
    public override void CopyFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => SendFile(file, offset, count, timeout);

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(FileChunk);
        try
        {
            while (count > 0)
            {
                int n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(FileChunk, count)), offset);
                if (n <= 0)
                {
                    throw new IOException("file shorter than its response");
                }

                _translator.Write(buffer.AsSpan(0, n));
                offset += n;
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _session.Flush();
    }
}
