using System.IO;
using System.Buffers;
using Pluma.Http.Http2.Hpack;

namespace Pluma.Http.Http2;

/// <summary>
/// Turns the HTTP/1.1 response the engine writes for a stream into HEADERS and DATA frames
/// (mod_http2's h2_from_h1): parses the status line and fields, drops the connection-specific
/// ones (RFC 9113 8.2.2), lower-cases names, and passes the body on without its chunk framing.
/// </summary>
internal sealed class Http2ResponseTranslator : IDisposable
{
    private const int MaxHead = 256 * 1024;

    private readonly Http2Connection _session;
    private readonly Http2Stream _stream;
    private byte[] _head = ArrayPool<byte>.Shared.Rent(4096);
    private int _headLength;
    private BodyMode _mode = BodyMode.Head;
    private long _remaining;
    private ChunkState _chunk;
    private long _chunkSize;

    public Http2ResponseTranslator(Http2Connection session, Http2Stream stream)
    {
        _session = session;
        _stream = stream;
    }

    private enum BodyMode
    {
        Head,
        ContentLength,
        Chunked,
        UntilClose,
        Done,
    }

    private enum ChunkState
    {
        Size,
        SizeExtension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        Trailer,
    }

    /// <summary>True once the HEADERS frame of a final response went out.</summary>
    public bool HeadSent { get; private set; }

    public bool Complete => _mode == BodyMode.Done;

    /// <summary>The body ends where the response ends (no length, no chunks).</summary>
    public bool EndsAtClose => _mode == BodyMode.UntilClose;

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            switch (_mode)
            {
                case BodyMode.Head:
                    data = TakeHead(data);
                    break;
                case BodyMode.ContentLength:
                    {
                        int n = (int)Math.Min(data.Length, _remaining);
                        _remaining -= n;
                        bool last = _remaining == 0;
                        _session.WriteData(_stream, data[..n], last);
                        if (last)
                        {
                            _mode = BodyMode.Done;
                        }

                        data = data[n..];
                        break;
                    }

                case BodyMode.Chunked:
                    data = TakeChunked(data);
                    break;
                case BodyMode.UntilClose:
                    _session.WriteData(_stream, data, false);
                    data = default;
                    break;
                default:
                    return; // nothing may follow a complete response
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_head);
        _head = [];
    }

    private ReadOnlySpan<byte> TakeHead(ReadOnlySpan<byte> data)
    {
        // Look for the blank line across what is buffered and what came.
        int before = _headLength;
        int take = data.Length;
        if (_headLength + take > _head.Length)
        {
            if (_headLength + take > MaxHead)
            {
                throw new IOException("response head too large for HTTP/2");
            }

            byte[] bigger = ArrayPool<byte>.Shared.Rent(_headLength + take);
            _head.AsSpan(0, _headLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_head);
            _head = bigger;
        }

        data.CopyTo(_head.AsSpan(_headLength));
        _headLength += take;
        int end = _head.AsSpan(0, _headLength).IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return default;
        }

        int headEnd = end + 4;
        int consumed = headEnd - before;
        EmitHead(_head.AsSpan(0, headEnd));
        _headLength = 0;
        return data[consumed..];
    }

    private void EmitHead(ReadOnlySpan<byte> head)
    {
        int lineEnd = head.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> statusLine = head[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8))
        {
            throw new IOException("not an HTTP/1.1 response");
        }

        int status = ((statusLine[9] - '0') * 100) + ((statusLine[10] - '0') * 10) + (statusLine[11] - '0');
        bool chunked = false;
        long length = -1;
        byte[] block = ArrayPool<byte>.Shared.Rent(head.Length + 64);
        try
        {
            int n = HpackEncoder.EncodeStatus(status, block);
            Span<byte> lower = stackalloc byte[256];
            ReadOnlySpan<byte> rest = head[(lineEnd + 2)..];
            while (true)
            {
                int eol = rest.IndexOf("\r\n"u8);
                if (eol <= 0)
                {
                    break;
                }

                ReadOnlySpan<byte> line = rest[..eol];
                rest = rest[(eol + 2)..];
                int colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    continue;
                }

                ReadOnlySpan<byte> rawName = line[..colon];
                ReadOnlySpan<byte> value = line[(colon + 1)..].Trim((byte)' ');
                Span<byte> name = rawName.Length <= lower.Length ? lower[..rawName.Length] : new byte[rawName.Length];
                System.Text.Ascii.ToLower(rawName, name, out _);
                if (name.SequenceEqual("transfer-encoding"u8))
                {
                    chunked = value.EndsWith("chunked"u8);
                    continue;
                }

                if (name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8) || name.SequenceEqual("proxy-connection"u8) || name.SequenceEqual("upgrade"u8))
                {
                    continue;
                }

                if (name.SequenceEqual("content-length"u8) && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long cl))
                {
                    length = cl;
                }

                n += HpackEncoder.EncodeField(name, value, block.AsSpan(n));
            }

            bool interim = status is >= 100 and < 200;
            bool noBody = !interim && (_stream.IsHead || status is 204 or 304 || (length == 0 && !chunked));
            _session.WriteHeaders(_stream, block.AsSpan(0, n), endStream: noBody);
            if (interim)
            {
                return; // 100 Continue and friends: the final head follows (8.1)
            }

            HeadSent = true;
            if (noBody)
            {
                _mode = BodyMode.Done;
            }
            else if (chunked)
            {
                _mode = BodyMode.Chunked;
                _chunk = ChunkState.Size;
                _chunkSize = 0;
            }
            else if (length > 0)
            {
                _mode = BodyMode.ContentLength;
                _remaining = length;
            }
            else
            {
                _mode = BodyMode.UntilClose;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    // The engine's own chunked framing (Http1Connection.Output): hex size, optional extension, CRLF.
    private ReadOnlySpan<byte> TakeChunked(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            byte b = data[0];
            switch (_chunk)
            {
                case ChunkState.Size:
                    data = data[1..];
                    if (b == (byte)'\r')
                    {
                        _chunk = ChunkState.SizeLf;
                    }
                    else if (b == (byte)';')
                    {
                        _chunk = ChunkState.SizeExtension;
                    }
                    else if (HexValue(b) is int v and >= 0)
                    {
                        _chunkSize = (_chunkSize * 16) + v;
                    }

                    break;
                case ChunkState.SizeExtension:
                    data = data[1..];
                    if (b == (byte)'\r')
                    {
                        _chunk = ChunkState.SizeLf;
                    }

                    break;
                case ChunkState.SizeLf:
                    data = data[1..];
                    _chunk = _chunkSize == 0 ? ChunkState.Trailer : ChunkState.Data;
                    _headLength = 0;
                    break;
                case ChunkState.Data:
                    {
                        int n = (int)Math.Min(data.Length, _chunkSize);
                        _session.WriteData(_stream, data[..n], false);
                        _chunkSize -= n;
                        data = data[n..];
                        if (_chunkSize == 0)
                        {
                            _chunk = ChunkState.DataCr;
                        }

                        break;
                    }

                case ChunkState.DataCr:
                    data = data[1..];
                    _chunk = ChunkState.DataLf;
                    break;
                case ChunkState.DataLf:
                    data = data[1..];
                    _chunk = ChunkState.Size;
                    break;
                case ChunkState.Trailer:
                    // Trailer lines end with an empty line; a response's trailers are not passed on.
                    data = data[1..];
                    if (b == (byte)'\n')
                    {
                        if (_headLength == 0)
                        {
                            _session.WriteData(_stream, default, true);
                            _mode = BodyMode.Done;
                            return default;
                        }

                        _headLength = 0;
                    }
                    else if (b != (byte)'\r')
                    {
                        _headLength++;
                    }

                    break;
            }
        }

        return data;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
