using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Pluma.Http.Internal;

internal sealed partial class Http1Connection
{
    /// <summary>Room kept in front of the buffered body for the head and a chunk-size line.</summary>
    private const int HeadReserve = 2048;

    /// <summary>"\r\n" after a chunk plus the last-chunk "0\r\n\r\n".</summary>
    private const int TailReserve = 7;

    private const int MaxChunkHeader = 18;

    private byte[] _out = [];
    private byte[]? _headScratch;
    private int _bodyLength;
    private bool _headSent;
    private bool _chunked;
    private bool _keepAlive;
    private bool _sendKeepAliveHeaders;
    private bool _closeWithoutHeader;
    private bool _omitContentLength;
    private long _bytesSent;
    private long _bodyBytesSent;
    private long _headBodyCount;
    private bool _finished;
    private bool _headRefused;
    private FieldWrite _refusal;
    private string? _refusedName;
    private string? _refusedValue;

    public bool HeadSent => _headSent;

    public long BytesSent => _bytesSent;

    public long BodyBytesSent => _bodyBytesSent;

    private int BodyCapacity => _out.Length - HeadReserve - TailReserve;

    /// <summary>HEAD, a status without a body, or a head refused for an unsafe field (the 500 page replaced the body).</summary>
    private bool DiscardsBody => _line.Method == HttpMethod.Head || HttpStatus.IsHeaderOnly(Response.StatusCode) || _headRefused;

    private void BeginOutput()
    {
        _bodyLength = 0;
        _headSent = false;
        _chunked = false;
        _keepAlive = false;
        _sendKeepAliveHeaders = false;
        _closeWithoutHeader = false;
        _omitContentLength = false;
        _bytesSent = 0;
        _bodyBytesSent = 0;
        _headBodyCount = 0;
        _finished = false;
        _headRefused = false;
        _refusedName = null;
        _refusedValue = null;
    }

    public void WriteBody(ReadOnlySpan<byte> data)
    {
        if (DiscardsBody)
        {
            _headBodyCount += data.Length;
            return;
        }

        if (data.Length <= BodyCapacity - _bodyLength)
        {
            data.CopyTo(_out.AsSpan(HeadReserve + _bodyLength));
            _bodyLength += data.Length;
            return;
        }

        if (!_headSent)
        {
            CommitHead(final: false);
            if (_headRefused)
            {
                return;
            }
        }
        else
        {
            SendBuffered(final: false);
        }

        if (data.Length <= BodyCapacity)
        {
            data.CopyTo(_out.AsSpan(HeadReserve));
            _bodyLength = data.Length;
            return;
        }

        // Too big to buffer: frame it and send it as it is.
        Transport.Cork(true);
        if (_chunked)
        {
            Span<byte> header = stackalloc byte[MaxChunkHeader];
            SendCounted(header[..WriteChunkHeader(header, data.Length)]);
        }

        SendCounted(data);
        _bodyBytesSent += data.Length;
        if (_chunked)
        {
            SendCounted("\r\n"u8);
        }

        Transport.Flush();
        Transport.Cork(false);
    }

    public void SendFileBody(SafeFileHandle file, long offset, long count)
    {
        if (DiscardsBody)
        {
            _headBodyCount += count;
            return;
        }

        Transport.Cork(true);
        if (!_headSent)
        {
            CommitHead(final: false);
            if (_headRefused)
            {
                Transport.Flush();
                Transport.Cork(false);
                return;
            }
        }
        else
        {
            SendBuffered(final: false);
        }

        if (_chunked)
        {
            Span<byte> header = stackalloc byte[MaxChunkHeader];
            SendCounted(header[..WriteChunkHeader(header, count)]);
        }

        if (count > 0)
        {
            Transport.SendFile(file, offset, count, _options.Timeout);
            _bytesSent += count;
            _bodyBytesSent += count;
        }

        if (_chunked)
        {
            SendCounted("\r\n"u8);
        }

        Transport.Flush();
        Transport.Cork(false);
    }

    /// <summary>
    /// File bytes as body: read straight into the output buffer when they fit, so head and body
    /// leave in one write (the small-file fast path); otherwise sendfile.
    /// </summary>
    public void WriteFileBody(SafeFileHandle file, long offset, long count)
    {
        if (DiscardsBody)
        {
            _headBodyCount += count;
            return;
        }

        if (count <= BodyCapacity - _bodyLength)
        {
            Span<byte> target = _out.AsSpan(HeadReserve + _bodyLength, (int)count);
            int total = 0;
            while (total < target.Length)
            {
                int read = RandomAccess.Read(file, target[total..], offset + total);
                if (read <= 0)
                {
                    break; // truncated under us: the length check in FinishResponse closes the connection
                }

                total += read;
            }

            _bodyLength += total;
            return;
        }

        SendFileBody(file, offset, count);
    }

    /// <summary>The body's length must not be announced even if it fits the buffer (it is chunked or close-delimited).</summary>
    public void OmitContentLength() => _omitContentLength = true;

    public void FlushBody()
    {
        if (!_headSent)
        {
            CommitHead(final: false);
        }
        else
        {
            SendBuffered(final: false);
        }
    }

    /// <summary>The application is done: send what is left, ending the body as its framing says.</summary>
    private void FinishResponse()
    {
        // An error page sent from inside the application already ended the response.
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (!_headSent)
        {
            CommitHead(final: true);
        }
        else
        {
            SendBuffered(final: true);
        }

        long declared = DeclaredLength();
        if (declared >= 0 && !DiscardsBody && declared != _bodyBytesSent)
        {
            // The application lied about Content-Length: the framing is broken, so close.
            _keepAlive = false;
        }

        if (_closeWithoutHeader || _connectionClose && !_keepAlive)
        {
            _keepAlive = false;
        }
    }

    private long DeclaredLength()
    {
        int i = Response.Headers.IndexOf("Content-Length");
        return i < 0 || !Response.Headers.TryGetNumber(i, out long n) ? -1 : n;
    }

    /// <summary>
    /// Builds and sends the head (Apache's ap_http_header_filter), with the buffered body in the
    /// same write when it fits. <paramref name="final"/>: the body is complete, so its length is known.
    /// </summary>
    private void CommitHead(bool final)
    {
        _headSent = true;
        if (_line.Version == 9)
        {
            // HTTP/0.9: no status line, no headers; the body ends with the connection.
            _keepAlive = false;
            SendBuffered(final);
            return;
        }

        int status = Response.StatusCode;
        bool headerOnlyStatus = HttpStatus.IsHeaderOnly(status);
        if (final && !headerOnlyStatus && !_omitContentLength && Response.Headers.IndexOf("Content-Length") < 0)
        {
            // Apache's content-length filter: the whole body was seen, so its length is known.
            if (_line.Method != HttpMethod.Head)
            {
                Response.Headers.SetNumber("Content-Length", _bodyLength);
            }
            else if (_headBodyCount > 0)
            {
                Response.Headers.SetNumber("Content-Length", _headBodyCount);
            }
        }

        if (headerOnlyStatus)
        {
            Response.Headers.Remove("Content-Length");
            Response.Headers.Remove("Transfer-Encoding");
        }

        _keepAlive = DecideKeepAlive(status);
        int headLength = WriteHead(status);
        if (headLength < 0)
        {
            RefuseHead(status);
            _keepAlive = DecideKeepAlive(500);
            headLength = WriteHead(500);
        }

        byte[] head = _headScratch!;

        int chunkHeaderLength = 0;
        Span<byte> chunkHeader = stackalloc byte[MaxChunkHeader];
        if (_chunked && _bodyLength > 0)
        {
            chunkHeaderLength = WriteChunkHeader(chunkHeader, _bodyLength);
        }

        int tail = AppendBodyTail(final);
        if (headLength + chunkHeaderLength <= HeadReserve)
        {
            // The common case: head, chunk-size line and body leave in one write.
            int start = HeadReserve - chunkHeaderLength - headLength;
            head.AsSpan(0, headLength).CopyTo(_out.AsSpan(start));
            chunkHeader[..chunkHeaderLength].CopyTo(_out.AsSpan(HeadReserve - chunkHeaderLength));
            SendCounted(_out.AsSpan(start, headLength + chunkHeaderLength + _bodyLength + tail));
        }
        else
        {
            Transport.Cork(true);
            SendCounted(head.AsSpan(0, headLength));
            SendCounted(chunkHeader[..chunkHeaderLength]);
            SendCounted(_out.AsSpan(HeadReserve, _bodyLength + tail));
            Transport.Flush();
            Transport.Cork(false);
        }

        _bodyBytesSent += _bodyLength;
        _bodyLength = 0;
    }

    /// <summary>Sends the buffered body (after the head went out), framed.</summary>
    private void SendBuffered(bool final)
    {
        if (_bodyLength == 0 && !(final && _chunked))
        {
            return;
        }

        int chunkHeaderLength = 0;
        if (_chunked && _bodyLength > 0)
        {
            Span<byte> chunkHeader = stackalloc byte[MaxChunkHeader];
            chunkHeaderLength = WriteChunkHeader(chunkHeader, _bodyLength);
            chunkHeader[..chunkHeaderLength].CopyTo(_out.AsSpan(HeadReserve - chunkHeaderLength));
        }

        int tail = AppendBodyTail(final);
        SendCounted(_out.AsSpan(HeadReserve - chunkHeaderLength, chunkHeaderLength + _bodyLength + tail));
        _bodyBytesSent += _bodyLength;
        _bodyLength = 0;
    }

    /// <summary>Writes the chunk's CRLF and, at the end, the last-chunk after the buffered body.</summary>
    private int AppendBodyTail(bool final)
    {
        if (!_chunked)
        {
            return 0;
        }

        Span<byte> tail = _out.AsSpan(HeadReserve + _bodyLength);
        int n = 0;
        if (_bodyLength > 0)
        {
            "\r\n"u8.CopyTo(tail);
            n = 2;
        }

        if (final)
        {
            "0\r\n\r\n"u8.CopyTo(tail[n..]);
            n += 5;
        }

        return n;
    }

    private static int WriteChunkHeader(Span<byte> destination, long length)
    {
        Utf8Formatter.TryFormat(length, destination, out int n, new StandardFormat('x'));
        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        return n;
    }

    private void SendCounted(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Transport.Send(data, _options.Timeout);
        _bytesSent += data.Length;
    }

    /// <summary>
    /// Apache's ap_set_keepalive, condition for condition: a response whose end the client can
    /// find, KeepAlive On, MaxKeepAliveRequests not reached (Apache serves max + 1 requests),
    /// a status that does not drop the connection, no "Connection: close", and HTTP/1.1 or an
    /// explicit keep-alive. Chunking is chosen before the later conditions, as Apache does.
    /// </summary>
    private bool DecideKeepAlive(int status)
    {
        _chunked = false;
        _sendKeepAliveHeaders = false;
        if (_connectionClose || _head.Expecting100 || _closeWithoutHeader)
        {
            return false;
        }

        bool framed = _line.Method == HttpMethod.Head || HttpStatus.IsHeaderOnly(status) || Response.Headers.IndexOf("Content-Length") >= 0;
        if (!framed)
        {
            if (_line.Version < 1001)
            {
                return false;
            }

            _chunked = true;
        }

        int max = _options.MaxKeepAliveRequests;
        if (!_options.KeepAlive || _options.KeepAliveTimeout <= TimeSpan.Zero || (max > 0 && max - Transport.RequestCount <= 0))
        {
            return false;
        }

        if (HttpStatus.DropsConnection(status) || !_context.KeepAlive || _head.ClientConnectionClose)
        {
            return false;
        }

        if (!_head.ClientKeepAlive && _line.Version < 1001)
        {
            return false;
        }

        if (Transport.IsDraining)
        {
            return false;
        }

        _sendKeepAliveHeaders = _head.ClientKeepAlive;
        return true;
    }

    /// <summary>Status line, Date, Server, the application's fields, Keep-Alive/Connection, Transfer-Encoding, Content-Type.</summary>
    private int WriteHead(int status)
    {
        HttpResponseHeaders headers = Response.Headers;
        int estimate = 256 + EstimateHeaders(headers) + (Response.ContentType?.Length ?? 0) + _options.ServerBanner.Length + (Response.ReasonPhrase?.Length ?? 0);
        if (_headScratch is null || _headScratch.Length < estimate)
        {
            if (_headScratch is not null)
            {
                ArrayPool<byte>.Shared.Return(_headScratch);
            }

            _headScratch = ArrayPool<byte>.Shared.Rent(Math.Max(estimate, 4096));
        }

        Span<byte> span = _headScratch;
        int n = 0;
        "HTTP/1.1 "u8.CopyTo(span);
        n += 9;
        Utf8Formatter.TryFormat(status, span[n..], out int digits);
        n += digits;
        span[n++] = (byte)' ';
        // A reason phrase that could split the head is dropped for the standard one, as Apache's
        // validate_status_line drops a malformed r->status_line.
        string? reason = Response.ReasonPhrase;
        if (reason is null || !HeaderFieldRules.IsFieldContent(reason))
        {
            reason = HttpStatus.ReasonPhrase(status) ?? string.Empty;
        }

        n += Encoding.Latin1.GetBytes(reason, span[n..]);
        n = Crlf(span, n);
        ReadOnlySpan<byte> date = DateHeaderCache.Line(DateTime.UtcNow);
        date.CopyTo(span[n..]);
        n += date.Length;
        n = Field(span, n, "Server", _options.ServerBanner);
        for (int i = 0; i < headers.Count; i++)
        {
            FieldWrite result = headers.TryWrite(i, span[n..], out int written);
            if (result is FieldWrite.BadName or FieldWrite.BadValue)
            {
                NoteRefusedField(result, headers.GetName(i), headers.GetValue(i));
                return -1;
            }

            n += written;
        }

        if (_keepAlive)
        {
            if (_sendKeepAliveHeaders)
            {
                "Keep-Alive: timeout="u8.CopyTo(span[n..]);
                n += 20;
                Utf8Formatter.TryFormat((long)_options.KeepAliveTimeout.TotalSeconds, span[n..], out digits);
                n += digits;
                if (_options.MaxKeepAliveRequests > 0)
                {
                    ", max="u8.CopyTo(span[n..]);
                    n += 6;
                    Utf8Formatter.TryFormat(_options.MaxKeepAliveRequests - Transport.RequestCount, span[n..], out digits);
                    n += digits;
                }

                n = Crlf(span, n);
                "Connection: Keep-Alive\r\n"u8.CopyTo(span[n..]);
                n += 24;
            }
        }
        else if (!_closeWithoutHeader && headers.IndexOf("Connection") < 0)
        {
            "Connection: close\r\n"u8.CopyTo(span[n..]);
            n += 19;
        }

        if (_chunked)
        {
            "Transfer-Encoding: chunked\r\n"u8.CopyTo(span[n..]);
            n += 28;
        }

        if (Response.ContentType is { } contentType && !HttpStatus.IsHeaderOnly(status))
        {
            if (!HeaderFieldRules.IsFieldContent(contentType))
            {
                NoteRefusedField(FieldWrite.BadValue, "Content-Type", contentType);
                return -1;
            }

            n = Field(span, n, "Content-Type", contentType);
        }

        return Crlf(span, n);
    }

    private static int EstimateHeaders(HttpResponseHeaders headers)
    {
        int total = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            total += headers.GetName(i).Length + 26 + headers.GetValueLengthHint(i);
        }

        return total;
    }

    private static int Field(Span<byte> span, int n, string name, string value)
    {
        n += Encoding.Latin1.GetBytes(name, span[n..]);
        span[n++] = (byte)':';
        span[n++] = (byte)' ';
        n += Encoding.Latin1.GetBytes(value, span[n..]);
        return Crlf(span, n);
    }

    private static int Crlf(Span<byte> span, int n)
    {
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        return n;
    }
}
