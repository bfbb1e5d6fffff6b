using System.Text;

namespace Pluma.Http.Protocol;

/// <summary>
/// Decides how a request's body is delimited (RFC 9112 6.3) from its Transfer-Encoding and
/// Content-Length fields alone, before a byte of body is read. Anything ambiguous is refused
/// with the connection closed: two parsers that frame one request differently are how requests
/// are smuggled, and a server that guesses wrong waits for a body that never comes. Stricter
/// than Apache 2.4.71, which lets chunked win over Content-Length (protocol.c ap_read_request),
/// reads Transfer-Encoding in HTTP/1.0, and accepts any list whose last item is chunked;
/// docs/security-http-strictness.md lists each difference.
/// </summary>
internal static class RequestFraming
{
    /// <summary>
    /// <paramref name="transferEncodingFields"/> and <paramref name="contentLengthFields"/> count
    /// the field lines of each name; <paramref name="transferEncoding"/> and
    /// <paramref name="contentLength"/> are the first line's value (OWS already trimmed).
    /// On success, <paramref name="chunked"/> or <paramref name="length"/> (-1: no body) says
    /// how the body ends.
    /// </summary>
    public static RequestRejection Decide(
        int version,
        int transferEncodingFields,
        ReadOnlySpan<byte> transferEncoding,
        int contentLengthFields,
        ReadOnlySpan<byte> contentLength,
        out bool chunked,
        out long length)
    {
        chunked = false;
        length = -1;
        if (transferEncodingFields > 0)
        {
            // RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing,
            // whatever else it carries (its sender may not know chunked at all).
            if (version < 1001)
            {
                return RequestRejection.TransferEncodingInHttp10;
            }

            // RFC 9112 6.3 (3): a server MAY reject both together and MUST close; we reject,
            // so no intermediary's choice between them can matter.
            if (contentLengthFields > 0)
            {
                return RequestRejection.TransferEncodingWithContentLength;
            }

            // Two field lines are one list to the RFC, but proxies disagree on which one wins.
            if (transferEncodingFields > 1)
            {
                return RequestRejection.BadTransferEncoding;
            }

            return ClassifyCodings(transferEncoding.Trim(" \t"u8), out chunked);
        }

        if (contentLengthFields > 0)
        {
            // RFC 9112 6.2/6.3 (5): one valid length, else the framing is unrecoverable.
            if (contentLengthFields > 1 || !TryParseLength(contentLength, out length))
            {
                length = -1;
                return RequestRejection.BadContentLength;
            }
        }

        return RequestRejection.None;
    }

    /// <summary>
    /// Exactly "chunked" (any case, RFC 9112 7) is the one body coding we decode. A list that
    /// ends in chunked after other well-formed codings is 501 (RFC 9112 6.1: SHOULD); anything
    /// else, empty list items, a repeated or parameterised chunked and a non-final chunked among
    /// them, is 400 (RFC 9112 6.1: MUST when chunked is not final; RFC 9112 7: chunked at most once).
    /// </summary>
    private static RequestRejection ClassifyCodings(ReadOnlySpan<byte> value, out bool chunked)
    {
        chunked = false;
        if (Ascii.EqualsIgnoreCase(value, "chunked"u8))
        {
            chunked = true;
            return RequestRejection.None;
        }

        int items = 0;
        bool lastIsChunked = false;
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> item = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            if (!IsCoding(item))
            {
                return RequestRejection.BadTransferEncoding;
            }

            if (lastIsChunked)
            {
                return RequestRejection.BadTransferEncoding; // chunked before another coding
            }

            lastIsChunked = Ascii.EqualsIgnoreCase(item, "chunked"u8);
            items++;
            if (comma < 0)
            {
                break;
            }

            value = value[(comma + 1)..];
        }

        return lastIsChunked && items > 1 ? RequestRejection.UnsupportedTransferCoding : RequestRejection.BadTransferEncoding;
    }

    /// <summary>transfer-coding = token *( OWS ";" OWS transfer-parameter ), read loosely: a token name, then anything printable.</summary>
    private static bool IsCoding(ReadOnlySpan<byte> item)
    {
        int semi = item.IndexOf((byte)';');
        ReadOnlySpan<byte> name = (semi < 0 ? item : item[..semi]).TrimEnd(" \t"u8);
        if (!HttpParser.IsToken(name))
        {
            return false;
        }

        // "chunked" takes no parameters (RFC 9112 7.1); Apache refuses "chunked;q=1" too.
        return semi < 0 || !Ascii.EqualsIgnoreCase(name, "chunked"u8);
    }

    /// <summary>
    /// 1*DIGIT, nothing else (Apache 2.4.71 refuses signs, spaces and lists). Leading zeros are
    /// digits like any other (RFC 9110 8.6), so "000" is 0 and "0005" is 5 however many zeros
    /// lead, as Apache's ap_parse_strict_length reads them; a value past 2^63 - 1 is refused.
    /// </summary>
    public static bool TryParseLength(ReadOnlySpan<byte> text, out long length)
    {
        length = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (byte c in text)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }

            int digit = c - '0';
            if (length > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            length = (length * 10) + digit;
        }

        return true;
    }
}
