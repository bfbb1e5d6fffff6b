using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pluma.Http.Internal;

/// <summary>
/// The response head: whether the connection stays open (ap_set_keepalive) and the head's bytes
/// (modules/http/http_filters.c ap_http_header_filter).
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>
    /// Apache's ap_set_keepalive, condition for condition: a response whose end the client can
    /// find, KeepAlive On, MaxKeepAliveRequests not reached (Apache serves max + 1 requests),
    /// a status that does not drop the connection, no "Connection: close", and HTTP/1.1 or an
    /// explicit keep-alive. Chunking is chosen before the later conditions, as Apache does.
    /// </summary>
    private bool DecideKeepAlive(int status)
    {
        _response.Chunked = false;
        _response.SendKeepAliveHeaders = false;

        // downgrade-1.0 first, then force-response-1.0 on what is now HTTP/1.0 (basic_http_header_check).
        int version = _context.DowngradeToHttp10 ? Math.Min(_parse.Line.Version, 1000) : _parse.Line.Version;
        _response.StatusLineHttp10 = _context.ForceResponseHttp10 && version == 1000;
        if (_response.ConnectionClose || _parse.Head.Expecting100 || _response.CloseWithoutHeader || _response.StatusLineHttp10)
        {
            return false;
        }

        bool framed = _parse.Line.Method == HttpMethod.Head || HttpStatus.IsHeaderOnly(status) || Response.Headers.IndexOf("Content-Length") >= 0;
        if (!framed)
        {
            if (version < 1001)
            {
                return false;
            }

            _response.Chunked = true;
        }

        int max = _options.MaxKeepAliveRequests;
        if (!_options.KeepAlive || _options.KeepAliveTimeout <= TimeSpan.Zero || (max > 0 && max - Transport.RequestCount <= 0))
        {
            return false;
        }

        if (HttpStatus.DropsConnection(status) || !_context.KeepAlive || _parse.Head.ClientConnectionClose)
        {
            return false;
        }

        if (!_parse.Head.ClientKeepAlive && version < 1001)
        {
            return false;
        }

        if (Transport.IsDraining)
        {
            return false;
        }

        _response.SendKeepAliveHeaders = _parse.Head.ClientKeepAlive;
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
                ConnectionBuffers.Return(_headScratch);
            }

            _headScratch = ConnectionBuffers.Rent(Math.Max(estimate, ConnectionBuffers.ScratchSize));
        }

        Span<byte> span = _headScratch;
        int n = 0;
        (_response.StatusLineHttp10 ? "HTTP/1.0 "u8 : "HTTP/1.1 "u8).CopyTo(span);
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

        if (_response.KeepAlive)
        {
            if (_response.SendKeepAliveHeaders)
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
        else if (!_response.CloseWithoutHeader && headers.IndexOf("Connection") < 0)
        {
            "Connection: close\r\n"u8.CopyTo(span[n..]);
            n += 19;
        }

        if (_response.Chunked)
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
