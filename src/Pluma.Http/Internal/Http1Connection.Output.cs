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

    /// <summary>This response's state (reset with the request in BeginRequest).</summary>
    private ResponseState _response;

    public bool HeadSent => _response.HeadSent;

    public long BytesSent => _response.BytesSent;

    public long BodyBytesSent => _response.BodyBytesSent;

    private int BodyCapacity => _out.Length - HeadReserve - TailReserve;

    /// <summary>HEAD, a status without a body, or a head refused for an unsafe field (the 500 page replaced the body).</summary>
    private bool DiscardsBody => _parse.Line.Method == HttpMethod.Head || HttpStatus.IsHeaderOnly(Response.StatusCode) || _response.HeadRefused;

    public void WriteBody(ReadOnlySpan<byte> data)
    {
        if (DiscardsBody)
        {
            _response.HeadBodyCount += data.Length;
            return;
        }

        if (data.Length <= BodyCapacity - _response.BodyLength)
        {
            data.CopyTo(_out.AsSpan(HeadReserve + _response.BodyLength));
            _response.BodyLength += data.Length;
            return;
        }

        if (!SendHeadOrBuffered())
        {
            return;
        }

        if (data.Length <= BodyCapacity)
        {
            data.CopyTo(_out.AsSpan(HeadReserve));
            _response.BodyLength = data.Length;
            return;
        }

        // Too big to buffer: frame it and send it as it is.
        Transport.Cork(true);
        if (_response.Chunked)
        {
            Span<byte> header = stackalloc byte[MaxChunkHeader];
            SendCounted(header[..WriteChunkHeader(header, data.Length)]);
        }

        SendCounted(data);
        _response.BodyBytesSent += data.Length;
        if (_response.Chunked)
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
            _response.HeadBodyCount += count;
            return;
        }

        Transport.Cork(true);
        if (!SendHeadOrBuffered())
        {
            Transport.Flush();
            Transport.Cork(false);
            return;
        }

        if (_response.Chunked)
        {
            Span<byte> header = stackalloc byte[MaxChunkHeader];
            SendCounted(header[..WriteChunkHeader(header, count)]);
        }

        if (count > 0)
        {
            Transport.SendFile(file, offset, count, _options.Timeout);
            _response.BytesSent += count;
            _response.BodyBytesSent += count;
        }

        if (_response.Chunked)
        {
            SendCounted("\r\n"u8);
        }

        Transport.Flush();
        Transport.Cork(false);
    }

    /// <summary>
    /// File bytes as body: read straight into the output buffer when they fit, so head and body
    /// leave in one write (the small-file fast path); otherwise sendfile when
    /// <paramref name="sendfile"/> (EnableSendfile On), else read and sent in pieces.
    /// </summary>
    public void WriteFileBody(SafeFileHandle file, long offset, long count, bool sendfile)
    {
        if (DiscardsBody)
        {
            _response.HeadBodyCount += count;
            return;
        }

        if (count <= BodyCapacity - _response.BodyLength)
        {
            Span<byte> target = _out.AsSpan(HeadReserve + _response.BodyLength, (int)count);
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

            _response.BodyLength += total;
            return;
        }

        if (sendfile)
        {
            SendFileBody(file, offset, count);
        }
        else
        {
            CopyFileBody(file, offset, count);
        }
    }

    /// <summary>
    /// EnableSendfile Off: the file is read and its bytes sent, as Apache's core output filter does
    /// without sendfile. The output buffer's room is filled first, so the head leaves with the
    /// first bytes in one write; the transport copies the rest (Transport.CopyFile), waiting for
    /// room within Timeout or, with the event MPM's write completion, setting the rest aside, as
    /// SendFile does.
    /// </summary>
    private void CopyFileBody(SafeFileHandle file, long offset, long count)
    {
        long end = offset + count;
        int room = BodyCapacity - _response.BodyLength;
        int first = ReadFully(file, _out.AsSpan(HeadReserve + _response.BodyLength, room), offset);
        _response.BodyLength += first;
        offset += first;
        if (!SendHeadOrBuffered())
        {
            return;
        }

        if (first < room)
        {
            return; // truncated under us: the length check in FinishResponse closes the connection
        }

        long rest = end - offset;
        if (_response.Chunked)
        {
            Span<byte> header = stackalloc byte[MaxChunkHeader];
            SendCounted(header[..WriteChunkHeader(header, rest)]);
        }

        Transport.CopyFile(file, offset, rest, _options.Timeout);
        _response.BytesSent += rest;
        _response.BodyBytesSent += rest;
        if (_response.Chunked)
        {
            SendCounted("\r\n"u8);
        }
    }

    /// <summary>Reads into all of <paramref name="target"/> from <paramref name="offset"/>; fewer bytes only at the file's end.</summary>
    private static int ReadFully(SafeFileHandle file, Span<byte> target, long offset)
    {
        int total = 0;
        while (total < target.Length)
        {
            int read = RandomAccess.Read(file, target[total..], offset + total);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>The body's length must not be announced even if it fits the buffer (it is chunked or close-delimited).</summary>
    public void OmitContentLength() => _response.OmitContentLength = true;

    public void FlushBody()
    {
        SendHeadOrBuffered();

        // To the client now: a transport that holds output (TLS) sends it.
        Transport.Flush();
    }

    /// <summary>
    /// Before more body goes out past the buffer: the head (with what is buffered) if it has not
    /// gone yet, else the buffered body. False when the head was refused (nothing more may follow).
    /// </summary>
    private bool SendHeadOrBuffered()
    {
        if (_response.HeadSent)
        {
            SendBuffered(final: false);
            return true;
        }

        CommitHead(final: false);
        return !_response.HeadRefused;
    }

    /// <summary>HttpResponse.Abort: out with what is buffered, never the body's end; the connection closes.</summary>
    public void AbortResponse()
    {
        if (_response.Finished)
        {
            return;
        }

        if (!_response.HeadSent)
        {
            _response.OmitContentLength = true; // the length written so far is not the body's
            CommitHead(final: false);
        }
        else
        {
            SendBuffered(final: false);
        }

        _response.Finished = true;
        _response.KeepAlive = false;
    }

    /// <summary>HttpResponse.WriteRaw: the bytes are the response; no head, no framing, then a close.</summary>
    public void WriteRawResponse(ReadOnlySpan<byte> data)
    {
        if (!_response.HeadSent)
        {
            _response.HeadSent = true;
            _response.Finished = true; // nothing of ours follows: no head, no last chunk
            _response.KeepAlive = false;
        }

        SendCounted(data); // HEAD too: the script wrote its own response, as Apache passes it on
        _response.BodyBytesSent += data.Length;
    }

    /// <summary>The application is done: send what is left, ending the body as its framing says.</summary>
    private void FinishResponse()
    {
        // An error page sent from inside the application already ended the response.
        if (_response.Finished)
        {
            return;
        }

        Response.EndBody(); // the output filters see the end of the body (one null check without them)
        if (_response.Finished)
        {
            return; // a filter answered with an error page at the end (the byterange filter's 416)
        }

        _response.Finished = true;
        if (!_response.HeadSent)
        {
            CommitHead(final: true);
        }
        else
        {
            SendBuffered(final: true);
        }

        long declared = DeclaredLength();
        if (declared >= 0 && !DiscardsBody && declared != _response.BodyBytesSent)
        {
            // The application lied about Content-Length: the framing is broken, so close.
            _response.KeepAlive = false;
        }

        if (_response.CloseWithoutHeader || _response.ConnectionClose && !_response.KeepAlive)
        {
            _response.KeepAlive = false;
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
        Response.BeforeHead(); // mod_headers' hook, once, before anything of the head is decided
        _response.HeadSent = true;
        if (_parse.Line.Version == 9)
        {
            // HTTP/0.9: no status line, no headers; the body ends with the connection.
            _response.KeepAlive = false;
            SendBuffered(final);
            return;
        }

        int status = Response.StatusCode;
        bool headerOnlyStatus = HttpStatus.IsHeaderOnly(status);
        if (final && !headerOnlyStatus && !_response.OmitContentLength && Response.Headers.IndexOf("Content-Length") < 0)
        {
            // Apache's content-length filter: the whole body was seen, so its length is known.
            if (_parse.Line.Method != HttpMethod.Head)
            {
                Response.Headers.SetNumber("Content-Length", _response.BodyLength);
            }
            else if (_response.HeadBodyCount > 0)
            {
                Response.Headers.SetNumber("Content-Length", _response.HeadBodyCount);
            }
        }

        if (headerOnlyStatus)
        {
            Response.Headers.Remove("Content-Length");
            Response.Headers.Remove("Transfer-Encoding");
        }

        _response.KeepAlive = DecideKeepAlive(status);
        if (_response.UnframedErrorPage && !_response.KeepAlive)
        {
            // Apache's error response after an error bucket finds the connection already marked
            // for closing (Connection: close, KeepAlive Off, ...), so ap_set_keepalive stops
            // before it would choose chunking: the page ends with the connection.
            _response.Chunked = false;
        }

        int headLength = WriteHead(status);
        if (headLength < 0)
        {
            RefuseHead(status);
            _response.KeepAlive = DecideKeepAlive(500);
            headLength = WriteHead(500);
        }

        byte[] head = _headScratch!;

        int chunkHeaderLength = 0;
        Span<byte> chunkHeader = stackalloc byte[MaxChunkHeader];
        if (_response.Chunked && _response.BodyLength > 0)
        {
            chunkHeaderLength = WriteChunkHeader(chunkHeader, _response.BodyLength);
        }

        int tail = AppendBodyTail(final);
        if (headLength + chunkHeaderLength <= HeadReserve)
        {
            // The common case: head, chunk-size line and body leave in one write.
            int start = HeadReserve - chunkHeaderLength - headLength;
            head.AsSpan(0, headLength).CopyTo(_out.AsSpan(start));
            chunkHeader[..chunkHeaderLength].CopyTo(_out.AsSpan(HeadReserve - chunkHeaderLength));
            SendCounted(_out.AsSpan(start, headLength + chunkHeaderLength + _response.BodyLength + tail));
        }
        else
        {
            Transport.Cork(true);
            SendCounted(head.AsSpan(0, headLength));
            SendCounted(chunkHeader[..chunkHeaderLength]);
            SendCounted(_out.AsSpan(HeadReserve, _response.BodyLength + tail));
            Transport.Flush();
            Transport.Cork(false);
        }

        _response.BodyBytesSent += _response.BodyLength;
        _response.BodyLength = 0;
    }

    /// <summary>Sends the buffered body (after the head went out), framed.</summary>
    private void SendBuffered(bool final)
    {
        if (_response.BodyLength == 0 && !(final && _response.Chunked))
        {
            return;
        }

        int chunkHeaderLength = 0;
        if (_response.Chunked && _response.BodyLength > 0)
        {
            Span<byte> chunkHeader = stackalloc byte[MaxChunkHeader];
            chunkHeaderLength = WriteChunkHeader(chunkHeader, _response.BodyLength);
            chunkHeader[..chunkHeaderLength].CopyTo(_out.AsSpan(HeadReserve - chunkHeaderLength));
        }

        int tail = AppendBodyTail(final);
        SendCounted(_out.AsSpan(HeadReserve - chunkHeaderLength, chunkHeaderLength + _response.BodyLength + tail));
        _response.BodyBytesSent += _response.BodyLength;
        _response.BodyLength = 0;
    }

    /// <summary>Writes the chunk's CRLF and, at the end, the last-chunk after the buffered body.</summary>
    private int AppendBodyTail(bool final)
    {
        if (!_response.Chunked)
        {
            return 0;
        }

        Span<byte> tail = _out.AsSpan(HeadReserve + _response.BodyLength);
        int n = 0;
        if (_response.BodyLength > 0)
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
        _response.BytesSent += data.Length;
    }
}
