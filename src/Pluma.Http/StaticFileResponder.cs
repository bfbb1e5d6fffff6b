using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Pluma.Http.Protocol;

namespace Pluma.Http;

/// <summary>
/// Answers a GET or HEAD with an open file as Apache's default handler and its filters do:
/// Last-Modified, ETag, Accept-Ranges and Content-Length in that order, the conditional
/// checks (304 and 412 without a page, as the handler sends them), then the byterange filter
/// (206, multipart/byteranges, or Apache's 416 page). Small bodies are read into the output
/// buffer so head and body leave in one write; large ones go by sendfile where EnableSendfile
/// is On, else are read and sent in pieces. No per-request
/// allocation on the 200/304/206 paths.
/// </summary>
public static class StaticFileResponder
{
    /// <summary>Apache passes the multipart body down every 32 parts, which costs it the Content-Length.</summary>
    private const int MultipartPartsWithLength = 32;

    [ThreadStatic]
    private static ByteRange[]? t_ranges;

    /// <summary>Writes the complete response for <paramref name="file"/> (the caller then closes the handle).</summary>
    public static void Respond(HttpContext context, in StaticFile file, StaticFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(file.Handle);
        options ??= StaticFileOptions.Default;
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        HttpResponseHeaders headers = response.Headers;

        // ap_rationalize_mtime: Last-Modified is never later than now.
        DateTime requestTime = context.StartTime;
        DateTime mtime = file.LastWriteTimeUtc;
        DateTime now = mtime < requestTime ? requestTime : DateTime.UtcNow;
        DateTime lastModified = mtime > now ? now : mtime;
        long lastModifiedSeconds = HttpDate.ToUnixSeconds(lastModified);
        long requestSeconds = HttpDate.ToUnixSeconds(requestTime);

        Span<byte> date = stackalloc byte[HttpDate.Length];
        HttpDate.Format(lastModified, date);
        headers.Set("Last-Modified", date);

        Span<byte> etagBuffer = stackalloc byte[EntityTag.MaxLength + EntityTag.MaxVariantListValidator];
        FileETagComponents components = options.FileETag;
        int etagLength = (components & FileETagComponents.Digest) != 0 && (components & FileETagComponents.None) == 0
            ? EntityTag.FormatDigest(etagBuffer, file.Handle, file.Length)
            : EntityTag.Format(etagBuffer, components, file.Inode, file.Length, mtime, requestTime);
        if (file.VariantListValidator is { } vlv && etagLength > 0)
        {
            etagLength = EntityTag.AppendVariantListValidator(etagBuffer, etagLength, vlv);
        }

        ReadOnlySpan<byte> etag = etagBuffer[..etagLength];
        if (etagLength > 0)
        {
            headers.Set("ETag", etag);
        }

        headers.Set("Accept-Ranges", options.Ranges.MaxRanges == 0 ? "none" : "bytes");
        response.ContentLength = file.Length;
        response.ContentType = file.ContentType;

        switch (ConditionalRequest.Evaluate(request.Headers, request.MethodNumber, etag, lastModifiedSeconds, requestSeconds))
        {
            case Precondition.NotModified:
                // Apache's default handler returns the status to ap_die: an error answer.
                response.BeginErrorResponse();
                // Apache's 304 names no language (a negotiated variant's Content-Language stays off it).
                headers.Remove("Content-Language");
                response.StatusCode = 304;
                return;
            case Precondition.Failed:
                // The default handler only sets the status: an empty body, not an error page.
                response.BeginErrorResponse();
                response.StatusCode = 412;
                if (!request.IsHead)
                {
                    response.ContentLength = 0;
                }

                return;
        }

        // The filters that would pass the file untouched leave first (deciding may also give a
        // Range back: mod_filter's FilterProtocol). One that changes the body (DEFLATE) means
        // Apache's byterange filter runs on what it makes: the whole file goes through the chain
        // and is ranged at the end.
        // A Vary the filters add lives in Apache's headers_out, which the 416 page drops; one set
        // before them (mod_negotiation's, err_headers_out) stays.
        bool varyBeforeFilters = headers.IndexOf("Vary") >= 0;
        bool filtered = response.HasOutputFilters && response.KeepFiltersThatChangeFile(file.Length);
        if (filtered)
        {
            if (file.Length > 0 && request.ProtocolNumber != 9 && TryGetRange(request.Headers, out _, out _))
            {
                response.AddOutputFilter(new ByteRangeFilter(context, options.Ranges, lastModifiedSeconds, requestSeconds, varyBeforeFilters));
            }
        }
        else if (file.Length > 0 && request.ProtocolNumber != 9 && TryGetRange(request.Headers, out ReadOnlySpan<byte> range, out bool legacy)
            && ConditionalRequest.RangeAllowed(request.Headers, etag, lastModifiedSeconds, requestSeconds))
        {
            ByteRange[] ranges = t_ranges ??= new ByteRange[4];
            RangeOutcome outcome = ByteRangeParser.Parse(range, file.Length, options.Ranges, ref ranges, out int count);
            t_ranges = ranges;
            if (outcome == RangeOutcome.NotSatisfiable)
            {
                context.SendUnframedErrorPage(416);
                return;
            }

            if (outcome == RangeOutcome.Partial)
            {
                response.StatusCode = 206;
                if (count == 1)
                {
                    SendSingleRange(context, file, ranges[0], options.EnableSendfile);
                }
                else
                {
                    SendMultipart(context, file, ranges.AsSpan(0, count), legacy || IsMsie3(request.Headers), options.EnableSendfile);
                }

                return;
            }
        }

        // Apache's handler sends the file for HEAD too and the filters see it (mod_deflate then
        // announces the compressed length); without filters the bytes are never read.
        if (!request.IsHead || response.HasOutputFilters)
        {
            WriteBody(context.Response, file, 0, file.Length, options.EnableSendfile);
        }
    }

    /// <summary>
    /// <paramref name="count"/> bytes of the file from <paramref name="offset"/>: from its held
    /// bytes, else read (or by sendfile when <paramref name="sendfile"/> and too large to buffer).
    /// </summary>
    private static void WriteBody(HttpResponse response, in StaticFile file, long offset, long count, bool sendfile)
    {
        if (file.Contents is { } bytes && bytes.Length == file.Length)
        {
            response.WriteFileBytes(bytes.AsSpan((int)offset, (int)count));
        }
        else
        {
            response.WriteFileBody(file.Handle, offset, count, sendfile);
        }
    }

    private static void SendSingleRange(HttpContext context, in StaticFile file, ByteRange range, bool sendfile)
    {
        Span<byte> value = stackalloc byte[6 + (3 * 20) + 2];
        "bytes "u8.CopyTo(value);
        int n = 6 + WriteSpan(value[6..], range, file.Length);
        // byterange_filter.c sets Content-Range, then Content-Length: a length the handler set keeps
        // its place, one a filter took away (FilterProtocol change=yes) comes after the range.
        context.Response.Headers.Set("Content-Range", value[..n]);
        context.Response.ContentLength = range.Length;
        if (!context.Request.IsHead)
        {
            WriteBody(context.Response, file, range.First, range.Length, sendfile);
        }
    }

    /// <summary>
    /// multipart/byteranges as Apache's filter writes it: each part is CRLF "--boundary", the
    /// original Content-type, "Content-range: bytes a-b/len", a blank line and the bytes; then
    /// CRLF "--boundary--" CRLF.
    /// </summary>
    private static void SendMultipart(HttpContext context, in StaticFile file, ReadOnlySpan<ByteRange> ranges, bool legacy, bool sendfile)
    {
        HttpResponse response = context.Response;
        string boundary = MultipartByteRanges.Boundary;
        string? type = file.ContentType;
        int fixedHead = 4 + boundary.Length + (type is null ? 0 : 16 + type.Length) + 23;
        byte[] part = ArrayPool<byte>.Shared.Rent(fixedHead + (3 * 20) + 8);
        try
        {
            int n = 0;
            n += Copy(part.AsSpan(n), "\r\n--"u8);
            n += Encoding.Latin1.GetBytes(boundary, part.AsSpan(n));
            if (type is not null)
            {
                n += Copy(part.AsSpan(n), "\r\nContent-type: "u8);
                n += Encoding.Latin1.GetBytes(type, part.AsSpan(n));
            }

            n += Copy(part.AsSpan(n), "\r\nContent-range: bytes "u8);
            int head = n;

            long total = 0;
            foreach (ByteRange r in ranges)
            {
                total += head + WriteSpan(part.AsSpan(head), r, file.Length) + 4 + r.Length;
            }

            total += 8 + boundary.Length;
            if (ranges.Length > MultipartPartsWithLength)
            {
                response.ContentLength = null;
                context.Owner.OmitContentLength();
            }
            else
            {
                response.ContentLength = total;
            }

            response.ContentType = legacy ? MultipartByteRanges.LegacyContentType : MultipartByteRanges.ContentType;
            if (context.Request.IsHead)
            {
                return;
            }

            foreach (ByteRange r in ranges)
            {
                int m = head + WriteSpan(part.AsSpan(head), r, file.Length);
                m += Copy(part.AsSpan(m), "\r\n\r\n"u8);
                response.Write(part.AsSpan(0, m));
                WriteBody(context.Response, file, r.First, r.Length, sendfile);
            }

            int end = Copy(part, "\r\n--"u8);
            end += Encoding.Latin1.GetBytes(boundary, part.AsSpan(end));
            end += Copy(part.AsSpan(end), "--\r\n"u8);
            response.Write(part.AsSpan(0, end));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(part);
        }
    }

    /// <summary>Range, else Netscape's Request-Range (which also asks for the x- multipart type).</summary>
    internal static bool TryGetRange(HttpRequestHeaders headers, out ReadOnlySpan<byte> value, out bool legacy)
    {
        legacy = false;
        if (ConditionalRequest.TryGet(headers, "Range", out value))
        {
            legacy = headers.IndexOf("Request-Range") >= 0;
            return true;
        }

        legacy = true;
        return ConditionalRequest.TryGet(headers, "Request-Range", out value);
    }

    internal static bool IsMsie3(HttpRequestHeaders headers)
    {
        int i = headers.IndexOf("User-Agent");
        return i >= 0 && headers.GetValueBytes(i).IndexOf("MSIE 3"u8) >= 0;
    }

    /// <summary>"first-last/length".</summary>
    internal static int WriteSpan(Span<byte> destination, ByteRange range, long length)
    {
        Utf8Formatter.TryFormat(range.First, destination, out int n);
        destination[n++] = (byte)'-';
        Utf8Formatter.TryFormat(range.Last, destination[n..], out int w);
        n += w;
        destination[n++] = (byte)'/';
        Utf8Formatter.TryFormat(length, destination[n..], out w);
        return n + w;
    }

    internal static int Copy(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
