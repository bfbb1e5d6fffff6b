using System.Diagnostics;
using Pluma.Connections;
using Pluma.Http.Protocol;

namespace Pluma.Http.Internal;

internal sealed partial class Http1Connection
{
    /// <summary>Longest chunk-size line we wait for (size, BWS and extensions), and the most extension bytes one body may carry.</summary>
    private const int MaxChunkLine = 8192;

    /// <summary>How far this request's body has been read (reset with the request in BeginRequest).</summary>
    private RequestBodyState _body;

    public long? RequestContentLength => !_parse.Head.Chunked && _parse.Head.ContentLength >= 0 ? _parse.Head.ContentLength : null;

    public bool RequestChunked => _parse.Head.Chunked;

    public bool Expecting100 => _parse.Head.Expecting100;

    public int ReadBody(Span<byte> destination)
    {
        if (!_body.Started)
        {
            StartBody();
        }

        if (_body.Done || destination.IsEmpty)
        {
            return 0;
        }

        return _parse.Head.Chunked ? ReadChunked(destination) : ReadFixed(destination);
    }

    public void DiscardBody()
    {
        if (!_body.Started)
        {
            StartBody();
        }

        if (_body.Done)
        {
            // Most requests have no body: no scratch buffer to clear (4 KiB per request).
            return;
        }

        Span<byte> scratch = stackalloc byte[4096];
        while (ReadBody(scratch) > 0)
        {
        }
    }

    /// <summary>After the response: read what the application left so the next request can be found.</summary>
    private bool TryDrainBody()
    {
        try
        {
            DiscardBody();
            return true;
        }
        catch (HttpRequestRejectedException)
        {
            return false;
        }
    }

    private void StartBody()
    {
        _body.Started = true;
        if (!_parse.Head.Chunked)
        {
            _body.Remaining = _parse.Head.ContentLength > 0 ? _parse.Head.ContentLength : 0;
            if (_body.Remaining == 0)
            {
                _body.Done = true;
                return;
            }
        }

        long limit = _context.LimitRequestBody;
        if (!_parse.Head.Chunked && limit > 0 && _parse.Head.ContentLength > limit)
        {
            // Refused before the client sends it, 100-continue or not (http_filters.c).
            _parse.Head.Expecting100 = false;
            throw new HttpRequestRejectedException(413, "Request body larger than LimitRequestBody");
        }

        if (_parse.Head.Expecting100)
        {
            _parse.Head.Expecting100 = false;
            if (!_response.HeadSent)
            {
                Transport.Send("HTTP/1.1 100 Continue\r\n\r\n"u8, _options.Timeout);
                Transport.Flush();
            }
        }

        RequestReadTimeout stage = _options.BodyReadTimeout;
        _body.Deadline = stage.Initial > TimeSpan.Zero ? Stopwatch.GetTimestamp() + ToTicks(stage.Initial) : long.MaxValue;
    }

    /// <summary>Body bytes into <paramref name="destination"/>: what is buffered first, else straight from the connection (large uploads skip a copy).</summary>
    private int ReadBodyBytes(Span<byte> destination)
    {
        if (_pos < _inEnd)
        {
            int n = Math.Min(destination.Length, _inEnd - _pos);
            _in.AsSpan(_pos, n).CopyTo(destination);
            _pos += n;
            return n;
        }

        return ReceiveBody(destination);
    }

    private int ReadFixed(Span<byte> destination)
    {
        int n = ReadBodyBytes(destination[..(int)Math.Min(destination.Length, _body.Remaining)]);

        _body.Remaining -= n;
        _body.Read += n;
        if (_body.Remaining == 0)
        {
            _body.Done = true;
        }

        return n;
    }

    private int ReadChunked(Span<byte> destination)
    {
        while (true)
        {
            switch (_body.Chunk)
            {
                case ChunkState.Size:
                    if (!TryTakeLine(MaxChunkLine, out int lineStart, out int lineLength))
                    {
                        FillBody();
                        continue;
                    }

                    switch (ChunkSizeLine.Parse(_in.AsSpan(lineStart, lineLength), out _body.ChunkRemaining, out int extension))
                    {
                        case ChunkSizeLineResult.Malformed:
                            throw BadChunk();
                        case ChunkSizeLineResult.TooLarge:
                            throw new HttpRequestRejectedException(413, "Chunk size too large");
                    }

                    // Extensions are ignored, so they are not body: LimitRequestBody does not see
                    // them. RFC 9112 7.1.1 asks for a bound on their total, as for other parts of
                    // a message; one line's worth per request is far more than any client sends.
                    _body.ChunkExtensionBytes += extension;
                    if (_body.ChunkExtensionBytes > MaxChunkLine)
                    {
                        throw BadChunk();
                    }

                    long limit = _context.LimitRequestBody;
                    // Written as a difference: _body.Read + a size near 2^63 would wrap negative
                    // and pass (_body.Read never exceeds the limit, so this cannot wrap).
                    if (limit > 0 && _body.ChunkRemaining > limit - _body.Read)
                    {
                        throw new HttpRequestRejectedException(413, "Chunked request body larger than LimitRequestBody");
                    }

                    _body.Chunk = _body.ChunkRemaining == 0 ? ChunkState.Trailers : ChunkState.Data;
                    continue;

                case ChunkState.Data:
                    int n = ReadBodyBytes(destination[..(int)Math.Min(destination.Length, _body.ChunkRemaining)]);

                    _body.ChunkRemaining -= n;
                    _body.Read += n;
                    if (_body.ChunkRemaining == 0)
                    {
                        _body.Chunk = ChunkState.DataEnd;
                    }

                    return n;

                case ChunkState.DataEnd:
                    if (_inEnd - _pos < 2)
                    {
                        FillBody();
                        continue;
                    }

                    if (_in[_pos] != (byte)'\r' || _in[_pos + 1] != (byte)'\n')
                    {
                        throw BadChunk();
                    }

                    _pos += 2;
                    _body.Chunk = ChunkState.Size;
                    continue;

                case ChunkState.Trailers:
                    // The trailer section is read as strictly as the header section (Apache
                    // 2.4.71 does too), and framing or routing fields in it are refused.
                    var trailers = new TrailersHandler();
                    ParseResult taken = HttpParser.TakeHeaders(_in.AsSpan(0, _inEnd), ref _pos, ref _body.TrailerCount, _options, ref trailers, out _);
                    if (taken == ParseResult.Rejected || trailers.Forbidden)
                    {
                        throw BadChunk();
                    }

                    if (taken == ParseResult.NeedMore)
                    {
                        FillBody();
                        continue;
                    }

                    _body.Done = true;
                    return 0;
            }
        }
    }

    /// <summary>A CRLF-terminated line from the buffer; false if it is not all here yet.</summary>
    private bool TryTakeLine(int limit, out int start, out int length)
    {
        start = _pos;
        ReadOnlySpan<byte> rest = _in.AsSpan(_pos, _inEnd - _pos);
        int lf = rest.IndexOf((byte)'\n');
        if (lf < 0)
        {
            // Up to the limit plus its CR may wait for the LF: a line of exactly the limit is
            // taken whether or not the LF came in the same read (found by fuzz/, chunked-body).
            if (rest.Length > limit + 1)
            {
                throw BadChunk();
            }

            length = 0;
            return false;
        }

        if (lf == 0 || rest[lf - 1] != (byte)'\r' || lf - 1 > limit)
        {
            throw BadChunk(); // a bare LF ends no chunk line (Apache 2.4.71)
        }

        length = lf - 1;
        _pos += lf + 1;
        return true;
    }

    /// <summary>Trailer fields are checked, then dropped: nothing merges them into the request.</summary>
    private struct TrailersHandler : IHttpHeadersHandler
    {
        public bool Forbidden;

        public void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength) =>
            Forbidden |= TrailerFields.IsForbidden(buffer.Slice(nameStart, nameLength));

        public readonly int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength) => valueLength;
    }

    private static HttpRequestRejectedException BadChunk() => new(400, "Invalid chunked request body");

    /// <summary>More body bytes into the buffer, after the head (whose bytes the headers still point at).</summary>
    private void FillBody()
    {
        if (_pos == _inEnd)
        {
            _pos = _inEnd = _parse.HeadEnd;
        }
        else if (_inEnd == _in.Length && _pos > _parse.HeadEnd)
        {
            int keep = _inEnd - _pos;
            Buffer.BlockCopy(_in, _pos, _in, _parse.HeadEnd, keep);
            _pos = _parse.HeadEnd;
            _inEnd = _parse.HeadEnd + keep;
        }

        if (_inEnd == _in.Length)
        {
            byte[] bigger = ConnectionBuffers.Rent(_in.Length * 2);
            Buffer.BlockCopy(_in, 0, bigger, 0, _inEnd);
            ConnectionBuffers.Return(_in);
            _in = bigger;
            Request.Headers.Rebase(bigger);
        }

        _inEnd += ReceiveBody(_in.AsSpan(_inEnd));
    }

    private int ReceiveBody(Span<byte> destination)
    {
        int n;
        try
        {
            long now = Stopwatch.GetTimestamp();
            n = Transport.Receive(destination, ReadTimeout(now, _body.Deadline));
        }
        catch (ConnectionTimeoutException)
        {
            LogReqtimeout(_options.BodyReadTimeout, "AH01382: Request body read timeout");
            _response.ConnectionClose = true;
            throw new HttpRequestRejectedException(408, "Request body read timeout");
        }

        if (n == 0)
        {
            // The client went away mid-body: nothing more can come on this connection.
            _response.ConnectionClose = true;
            throw new HttpRequestRejectedException(400, "Request body ended early");
        }

        _body.Deadline = Extend(_body.Deadline, long.MaxValue, n, _options.BodyReadTimeout.MinRate);
        return n;
    }
}
