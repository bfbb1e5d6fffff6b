namespace Pluma.Http.Protocol;

/// <summary>Outcome of one parse step.</summary>
internal enum ParseResult
{
    /// <summary>The input ends before the element does: nothing was consumed.</summary>
    NeedMore,

    /// <summary>The element was parsed and consumed.</summary>
    Done,

    /// <summary>The input is malformed: see the rejection reason.</summary>
    Rejected,
}

/// <summary>The request line, as offsets into the parser's buffer (no strings).</summary>
internal struct StartLine
{
    public int MethodStart;
    public int MethodLength;
    public HttpMethod Method;
    public int TargetStart;
    public int TargetLength;

    /// <summary>Apache's proto_num: major * 1000 + minor (HTTP/0.9 is 9).</summary>
    public int Version;

    /// <summary>Where the line starts and how long it is without CRLF (for the scoreboard and %r).</summary>
    public int LineStart;
    public int LineLength;
}

/// <summary>Receives header fields as offsets into the buffer (Kestrel's struct-handler style).</summary>
internal interface IHttpHeadersHandler
{
    /// <summary>A field line; the value is already stripped of surrounding whitespace.</summary>
    void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength);

    /// <summary>An obs-fold continuation of the previous field; returns its new length.</summary>
    int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength);
}

/// <summary>
/// An incremental, non-destructive HTTP/1.x request-head parser with Apache's rules
/// (protocol.c, HttpProtocolOptions). It works over one contiguous buffer with absolute
/// positions: on short input it returns <see cref="ParseResult.NeedMore"/> and leaves
/// <c>position</c> untouched; limits are checked on the bytes present, so an over-long line
/// is refused before more of it is buffered.
/// </summary>
internal static class HttpParser
{
    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';
    private const byte SP = (byte)' ';
    private const byte HT = (byte)'\t';
    private const byte Colon = (byte)':';

    /// <summary>Apache skips this many empty lines before a request line (DEFAULT_LIMIT_BLANK_LINES).</summary>
    public const int MaxBlankLines = 10;

    /// <summary>
    /// Takes the request line, skipping up to <see cref="MaxBlankLines"/> empty lines before it.
    /// Apache accepts a line of LimitRequestLine + 1 bytes before CRLF (measured on 2.4.71).
    /// </summary>
    public static ParseResult TakeStartLine(ReadOnlySpan<byte> buffer, ref int position, HttpServerOptions options, out StartLine line, out RequestRejection rejection)
    {
        line = default;
        rejection = RequestRejection.None;
        int pos = position;
        int maxContent = options.LimitRequestLine + 1;
        for (int blank = 0; ; blank++)
        {
            ReadOnlySpan<byte> rest = buffer[pos..];
            ParseResult found = FindLine(rest, maxContent, options.StrictProtocol, RequestRejection.RequestLineTooLong, out int lf, out int contentLength, out rejection);
            if (found != ParseResult.Done)
            {
                return found;
            }

            if (contentLength > maxContent)
            {
                rejection = RequestRejection.RequestLineTooLong;
                return ParseResult.Rejected;
            }

            if (contentLength == 0)
            {
                if (blank >= MaxBlankLines)
                {
                    rejection = RequestRejection.BadRequest;
                    return ParseResult.Rejected;
                }

                pos += lf + 1;
                continue;
            }

            if (!ParseRequestLine(rest[..contentLength], pos, options, ref line, out rejection))
            {
                return ParseResult.Rejected;
            }

            position = pos + lf + 1;
            return ParseResult.Done;
        }
    }

    /// <summary>
    /// Finds the end of the next line in <paramref name="rest"/>: <paramref name="lf"/> is the
    /// index of its LF and <paramref name="contentLength"/> its length without CRLF. Without an
    /// LF yet, more than <paramref name="maxContent"/> bytes (plus CRLF) is <paramref name="tooLong"/>,
    /// else "need more"; a line past the limit is <paramref name="tooLong"/> whether or not its LF is
    /// here yet. Strict: a bare LF ends nothing (RFC 9112 2.2 lets us refuse it; Apache does).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ParseResult FindLine(ReadOnlySpan<byte> rest, int maxContent, bool strict, RequestRejection tooLong, out int lf, out int contentLength, out RequestRejection rejection)
    {
        rejection = RequestRejection.None;
        lf = rest.IndexOf(LF);
        contentLength = 0;
        if (lf < 0)
        {
            if (rest.Length > maxContent + 1)
            {
                rejection = tooLong;
                return ParseResult.Rejected;
            }

            return ParseResult.NeedMore;
        }

        bool crlf = lf > 0 && rest[lf - 1] == CR;
        contentLength = crlf ? lf - 1 : lf;
        if (contentLength > maxContent)
        {
            // Too long whatever ends it: the same answer as when the bytes came in pieces and the
            // limit was passed before the LF arrived (Apache's ap_rgetline stops at the limit).
            rejection = tooLong;
            return ParseResult.Rejected;
        }

        if (!crlf && strict)
        {
            rejection = RequestRejection.BadRequest;
            return ParseResult.Rejected;
        }

        return ParseResult.Done;
    }

    private static bool ParseRequestLine(ReadOnlySpan<byte> content, int offset, HttpServerOptions options, ref StartLine line, out RequestRejection rejection)
    {
        rejection = RequestRejection.BadRequest;
        line.LineStart = offset;
        line.LineLength = content.Length;

        int sp1 = content.IndexOf(SP);
        if (sp1 <= 0 || !(options.StrictProtocol ? IsToken(content[..sp1]) : !HasControl(content[..sp1], allowTab: false)))
        {
            return false;
        }

        line.MethodStart = offset;
        line.MethodLength = sp1;
        line.Method = HttpMethods.Lookup(content[..sp1]);

        int targetStart = sp1 + 1;
        if (!options.StrictProtocol)
        {
            while (targetStart < content.Length && content[targetStart] == SP)
            {
                targetStart++;
            }
        }

        ReadOnlySpan<byte> rest = content[targetStart..];
        int sp2 = rest.IndexOf(SP);
        ReadOnlySpan<byte> target = sp2 < 0 ? rest : rest[..sp2];
        if (target.IsEmpty || HasControlOrSpace(target))
        {
            return false;
        }

        if (target.Contains((byte)'#'))
        {
            // RFC 9112 3.2: no form of request-target has a fragment (Apache 2.4.71 answers 400 too).
            rejection = RequestRejection.Fragment;
            return false;
        }

        line.TargetStart = offset + targetStart;
        line.TargetLength = target.Length;
        if (!IsValidTargetForm(target, line.Method))
        {
            return false;
        }

        if (sp2 < 0)
        {
            // HTTP/0.9 simple request: only GET, and only with Allow0.9 (protocol.c).
            if (!options.AllowHttp09 || line.Method != HttpMethod.Get)
            {
                return false;
            }

            line.Version = 9;
            return true;
        }

        ReadOnlySpan<byte> version = rest[(sp2 + 1)..];
        if (!options.StrictProtocol)
        {
            version = version.TrimStart(SP).TrimEnd(SP);
        }

        if (!TryParseVersion(version, options.StrictProtocol, out int proto) || proto < 1000)
        {
            return false;
        }

        if (proto >= 2000)
        {
            // A later minor version is served as 1.1 (RFC 9110 2.5: SHOULD), but another major
            // version is another protocol on this connection: 505 (RFC 9110 15.6.6; Apache
            // 2.4.71 serves HTTP/2.0 and HTTP/9.9 as 1.1).
            rejection = RequestRejection.VersionNotSupported;
            return false;
        }

        line.Version = proto;
        rejection = RequestRejection.None;
        return true;
    }

    /// <summary>Strict: exactly "HTTP/" DIGIT "." DIGIT (RFC 9112 2.3); any major version parses, the caller decides.</summary>
    private static bool TryParseVersion(ReadOnlySpan<byte> version, bool strict, out int proto)
    {
        proto = 0;
        if (version.Length != 8 || version[6] != (byte)'.' || !IsDigit(version[5]) || !IsDigit(version[7]))
        {
            return false;
        }

        ReadOnlySpan<byte> prefix = version[..5];
        if (!prefix.SequenceEqual("HTTP/"u8) && (strict || !System.Text.Ascii.EqualsIgnoreCase(prefix, "HTTP/"u8)))
        {
            return false;
        }

        proto = ((version[5] - '0') * 1000) + (version[7] - '0');
        return true;
    }

    private static bool IsValidTargetForm(ReadOnlySpan<byte> target, HttpMethod method)
    {
        if (method == HttpMethod.Connect)
        {
            // CONNECT takes only authority-form, host ":" port (RFC 9112 3.2.3); Apache's
            // apr_uri_parse_hostinfo refuses a path, "*", an absolute URI or a missing port.
            return IsAuthorityForm(target);
        }

        byte first = target[0];
        if (first == (byte)'/')
        {
            return true; // origin-form, RFC 9112 3.2.1: the common case
        }

        if (first == (byte)'*' && target.Length == 1)
        {
            return method == HttpMethod.Options; // asterisk-form, RFC 9112 3.2.4
        }

        // absolute-form (RFC 9112 3.2.2): scheme "://" authority
        int colon = target.IndexOf("://"u8);
        if (colon <= 0)
        {
            return false;
        }

        for (int i = 0; i < colon; i++)
        {
            byte c = target[i];
            if (!(IsAlpha(c) || (i > 0 && (IsDigit(c) || c is (byte)'+' or (byte)'-' or (byte)'.'))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>uri-host ":" port: something before the last colon, one or more digits after it, no path or userinfo.</summary>
    private static bool IsAuthorityForm(ReadOnlySpan<byte> target)
    {
        int colon = target.LastIndexOf((byte)':');
        if (colon <= 0 || colon == target.Length - 1 || target.IndexOfAny("/?@"u8) >= 0)
        {
            return false;
        }

        foreach (byte c in target[(colon + 1)..])
        {
            if (!IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Takes header fields up to and including the empty line. <paramref name="fieldCount"/>
    /// counts fields already taken (it survives NeedMore, as the consumed position does).
    /// </summary>
    public static ParseResult TakeHeaders<THandler>(ReadOnlySpan<byte> buffer, ref int position, ref int fieldCount, HttpServerOptions options, ref THandler handler, out RequestRejection rejection)
        where THandler : struct, IHttpHeadersHandler
    {
        rejection = RequestRejection.None;
        int maxContent = options.LimitRequestFieldSize + 1;
        while (true)
        {
            ReadOnlySpan<byte> rest = buffer[position..];
            ParseResult found = FindLine(rest, maxContent, options.StrictProtocol, RequestRejection.FieldTooLong, out int lf, out int contentLength, out rejection);
            if (found != ParseResult.Done)
            {
                return found;
            }

            if (contentLength == 0)
            {
                position += lf + 1;
                return ParseResult.Done;
            }

            if (contentLength > maxContent)
            {
                rejection = RequestRejection.FieldTooLong;
                return ParseResult.Rejected;
            }

            ReadOnlySpan<byte> content = rest[..contentLength];
            if (content[0] is SP or HT)
            {
                if (fieldCount == 0)
                {
                    rejection = RequestRejection.BadRequest;
                    return ParseResult.Rejected;
                }

                // obs-fold (RFC 9112 5.2: reject with 400 or replace with SP). Strict refuses it,
                // so no field reaches us with a value another parser would split differently;
                // Unsafe joins it to the previous field with one space, as Apache 2.4.71 does
                // under either option.
                if (options.StrictProtocol)
                {
                    rejection = RequestRejection.ObsFold;
                    return ParseResult.Rejected;
                }

                ReadOnlySpan<byte> more = Trim(content, out int lead);
                if (BadValue(more, options.StrictProtocol))
                {
                    rejection = RequestRejection.BadRequest;
                    return ParseResult.Rejected;
                }

                // Apache measures the field line as joined so far plus this piece and its NUL
                // (protocol.c ap_get_mime_headers_core): it refuses at LimitRequestFieldSize - 1.
                int folded = handler.OnContinuation(buffer, position + lead, more.Length);
                if (folded >= options.LimitRequestFieldSize - 1)
                {
                    rejection = RequestRejection.FoldedFieldTooLong;
                    return ParseResult.Rejected;
                }

                position += lf + 1;
                continue;
            }

            int colon = content.IndexOf(Colon);
            if (colon <= 0 || !IsFieldName(content[..colon], options.StrictProtocol))
            {
                // No colon, an empty name, or whitespace before the colon (RFC 9112 5.1): 400.
                rejection = RequestRejection.BadRequest;
                return ParseResult.Rejected;
            }

            ReadOnlySpan<byte> value = Trim(content[(colon + 1)..], out int valueLead);
            if (BadValue(value, options.StrictProtocol))
            {
                rejection = RequestRejection.BadRequest;
                return ParseResult.Rejected;
            }

            if (++fieldCount > options.LimitRequestFields)
            {
                rejection = RequestRejection.TooManyFields;
                return ParseResult.Rejected;
            }

            handler.OnHeader(buffer, position, colon, position + colon + 1 + valueLead, value.Length);
            position += lf + 1;
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value, out int lead)
    {
        lead = 0;
        while (lead < value.Length && value[lead] is SP or HT)
        {
            lead++;
        }

        int end = value.Length;
        while (end > lead && value[end - 1] is SP or HT)
        {
            end--;
        }

        return value[lead..end];
    }

    /// <summary>tchar (RFC 9110 5.6.2).</summary>
    public static bool IsToken(ReadOnlySpan<byte> token)
    {
        foreach (byte c in token)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return !token.IsEmpty;
    }

    public static bool IsTokenChar(byte c) =>
        IsAlpha(c) || IsDigit(c) || c is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\''
            or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    /// <summary>
    /// A method or field name: a token under Strict; under Unsafe, as Apache 2.4.71 lets through
    /// (protocol.c), anything but whitespace (a method may not hold controls either).
    /// </summary>
    private static bool IsFieldName(ReadOnlySpan<byte> name, bool strict)
    {
        if (strict)
        {
            return IsToken(name);
        }

        foreach (byte c in name)
        {
            if (c is SP or HT or 0)
            {
                return false;
            }
        }

        return !name.IsEmpty;
    }

    /// <summary>
    /// Field values may hold HT and obs-text, never other controls (RFC 9110 5.5); Unsafe lets
    /// every control but NUL through, as Apache 2.4.71 does.
    /// </summary>
    private static bool BadValue(ReadOnlySpan<byte> value, bool strict) =>
        strict ? HasControl(value, allowTab: true) : value.IndexOf((byte)0) >= 0;

    private static bool HasControl(ReadOnlySpan<byte> value, bool allowTab)
    {
        foreach (byte c in value)
        {
            if ((c < 0x20 && !(allowTab && c == HT)) || c == 0x7f)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasControlOrSpace(ReadOnlySpan<byte> value)
    {
        foreach (byte c in value)
        {
            if (c <= 0x20 || c == 0x7f)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAlpha(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
