using System.Collections.Generic;
using System.Text;
using Pluma.Http.Protocol;

namespace Pluma.Http;

/// <summary>
/// Sends a body a handler generated in memory (a directory listing) through Apache's byterange
/// filter, which serves any complete 200 body: a Range gets 206 (one part with Content-Range,
/// several as multipart/byteranges) or the 416 page. With no validators, an If-Range never
/// matches, so it gets the whole body.
/// </summary>
public static class GeneratedBodyResponder
{
    public static void Respond(HttpContext context, byte[] body, RangeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        response.ContentLength = body.Length;
        if (body.Length > 0 && request.ProtocolNumber != 9 && response.StatusCode == 200
            && StaticFileResponder.TryGetRange(request.Headers, out ReadOnlySpan<byte> range, out bool legacy)
            && request.Headers.IndexOf("If-Range") < 0)
        {
            ByteRange[] ranges = new ByteRange[4];
            RangeOutcome outcome = ByteRangeParser.Parse(range, body.Length, limits, ref ranges, out int count);
            if (outcome == RangeOutcome.NotSatisfiable)
            {
                context.SendUnframedErrorPage(416);
                return;
            }

            if (outcome == RangeOutcome.Partial)
            {
                SendRanges(response, body, ranges.AsSpan(0, count), legacy || StaticFileResponder.IsMsie3(request.Headers), response.Write);
                return;
            }
        }

        response.Write(body);
    }

    /// <summary>
    /// The 206 body for <paramref name="ranges"/> of a complete <paramref name="body"/>: one part
    /// with Content-Range, or multipart/byteranges. <paramref name="write"/> takes the bytes
    /// (the response, or the link after the byterange filter).
    /// </summary>
    internal static void SendRanges(HttpResponse response, ReadOnlySpan<byte> body, ReadOnlySpan<ByteRange> ranges, bool legacy, BodyWriter write)
    {
        response.StatusCode = 206;
        if (ranges.Length == 1)
        {
            SendSingle(response, body, ranges[0], write);
        }
        else
        {
            SendMultipart(response, body, ranges, legacy, write);
        }
    }

    private static void SendSingle(HttpResponse response, ReadOnlySpan<byte> body, ByteRange range, BodyWriter write)
    {
        Span<byte> value = stackalloc byte[6 + (3 * 20) + 2];
        "bytes "u8.CopyTo(value);
        int n = 6 + StaticFileResponder.WriteSpan(value[6..], range, body.Length);
        // Content-Range, then Content-Length, as byterange_filter.c sets them (after DEFLATE took the length away, C-L follows).
        response.Headers.Set("Content-Range", value[..n]);
        response.ContentLength = range.Length;
        write(body.Slice((int)range.First, (int)range.Length));
    }

    // The parts as StaticFileResponder writes them for a file: CRLF "--boundary", the type, the range, a blank line, the bytes.
    private static void SendMultipart(HttpResponse response, ReadOnlySpan<byte> body, ReadOnlySpan<ByteRange> ranges, bool legacy, BodyWriter write)
    {
        string? type = response.ContentType;
        var parts = new List<byte[]>(ranges.Length * 2);
        long total = 0;
        foreach (ByteRange r in ranges)
        {
            var head = new StringBuilder("\r\n--").Append(MultipartByteRanges.Boundary);
            if (type is not null)
            {
                head.Append("\r\nContent-type: ").Append(type);
            }

            byte[] span = new byte[3 * 20 + 2];
            int n = StaticFileResponder.WriteSpan(span, r, body.Length);
            head.Append("\r\nContent-range: bytes ").Append(Encoding.Latin1.GetString(span, 0, n)).Append("\r\n\r\n");
            byte[] headBytes = Encoding.Latin1.GetBytes(head.ToString());
            parts.Add(headBytes);
            parts.Add(body.Slice((int)r.First, (int)r.Length).ToArray());
            total += headBytes.Length + r.Length;
        }

        byte[] end = Encoding.Latin1.GetBytes("\r\n--" + MultipartByteRanges.Boundary + "--\r\n");
        response.ContentLength = total + end.Length;
        response.ContentType = legacy ? MultipartByteRanges.LegacyContentType : MultipartByteRanges.ContentType;
        foreach (byte[] part in parts)
        {
            write(part);
        }

        write(end);
    }
}

/// <summary>Where a ranged body's bytes go.</summary>
internal delegate void BodyWriter(ReadOnlySpan<byte> data);
