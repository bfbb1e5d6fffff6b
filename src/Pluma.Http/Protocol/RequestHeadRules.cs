namespace Pluma.Http.Protocol;

/// <summary>
/// The checks Apache makes once a request head is in (server/protocol.c ap_read_request,
/// server/vhost.c fix_hostname, modules/http/http_request.c), and the body's framing as
/// RFC 9112 6.1/6.3 asks (<see cref="RequestFraming"/>): pure functions of the head's bytes.
/// </summary>
internal static class RequestHeadRules
{
    /// <summary>
    /// Checks the head whose request line is <paramref name="line"/> (target split as
    /// <paramref name="target"/>) and whose fields are <paramref name="headers"/>, all over
    /// <paramref name="buffer"/>. <paramref name="head"/> holds what was learnt up to the first
    /// refusal (a refused request is still answered, and its body framing still drained).
    /// </summary>
    public static RequestRejection Validate(
        ReadOnlySpan<byte> buffer,
        HttpRequestHeaders headers,
        in StartLine line,
        in RequestTarget target,
        HttpServerOptions options,
        out RequestHead head)
    {
        head = RequestHead.None;

        // Apache merges repeated fields before it looks at any of them (protocol.c
        // ap_get_mime_headers_core), and refuses a merged value the limit would have refused.
        if (MergedFieldTooLong(headers, options.LimitRequestFieldSize))
        {
            return RequestRejection.MergedFieldTooLong;
        }

        // Host: one at most; required in HTTP/1.1 unless the target carries the authority.
        int host = headers.IndexOf("Host");
        if (host >= 0 && headers.IndexOf("Host", host + 1) >= 0)
        {
            return RequestRejection.BadHost;
        }

        // The target's authority names the host only with the connection's own scheme, http
        // (or CONNECT's authority-form); Apache's ap_parse_uri ignores an https authority on a
        // plain connection and takes Host, and refuses every other scheme (ap_read_request).
        bool authorityIsHost = target.AuthorityStart >= 0;
        if (target.SchemeLength > 0)
        {
            ReadOnlySpan<byte> scheme = buffer.Slice(target.SchemeStart, target.SchemeLength);
            if (!System.Text.Ascii.EqualsIgnoreCase(scheme, "http"u8))
            {
                if (!HostField.TryParse(buffer.Slice(target.AuthorityStart, target.AuthorityLength), options.StrictProtocol, out _, out _))
                {
                    return RequestRejection.BadHost; // an invalid URI whatever its scheme (RFC 9110 4.2)
                }

                if (!System.Text.Ascii.EqualsIgnoreCase(scheme, "https"u8))
                {
                    // Answered with the Host field's name, as Apache's page names it.
                    if (host >= 0 && headers.TryGetValueRange(host, out int start, out int length))
                    {
                        TakeHost(buffer, start, length, options.StrictProtocol, ref head);
                    }

                    return RequestRejection.UnsupportedScheme;
                }

                authorityIsHost = false;
            }
        }

        if (authorityIsHost)
        {
            if (!TakeHost(buffer, target.AuthorityStart, target.AuthorityLength, options.StrictProtocol, ref head))
            {
                return RequestRejection.BadHost;
            }
        }
        else if (host >= 0)
        {
            if (!headers.TryGetValueRange(host, out int valueStart, out int valueLength) || !TakeHost(buffer, valueStart, valueLength, options.StrictProtocol, ref head))
            {
                return RequestRejection.BadHost;
            }
        }
        else if (line.Version >= 1001)
        {
            return RequestRejection.MissingHost;
        }

        // Body framing: one unambiguous answer or a refusal that closes (RequestFraming).
        RequestRejection framing = DecideFraming(headers, line.Version, out head.Chunked, out head.ContentLength);
        if (framing != RequestRejection.None)
        {
            return framing;
        }

        // Expect: only 100-continue (RFC 9110 10.1.1); HTTP/1.0 clients get no interim response.
        int expect = headers.IndexOf("Expect");
        if (expect >= 0)
        {
            if (!System.Text.Ascii.EqualsIgnoreCase(headers.GetValueBytes(expect), "100-continue"u8))
            {
                return RequestRejection.ExpectationFailed;
            }

            head.Expecting100 = line.Version >= 1001;
        }

        head.ClientConnectionClose = headers.HasToken("Connection", "close");
        head.ClientKeepAlive = headers.HasToken("Connection", "keep-alive");

        if (line.TargetLength != 1 || buffer[line.TargetStart] != (byte)'*')
        {
            switch (UrlPath.Check(buffer.Slice(target.PathStart, target.PathLength)))
            {
                case UrlPathProblem.BadEscape:
                    return RequestRejection.BadEscape;
                case UrlPathProblem.AboveRoot:
                    return RequestRejection.PathAboveRoot;
                case UrlPathProblem.EncodedNul:
                    return RequestRejection.EncodedNul;
            }
        }

        if (line.Method == HttpMethod.Trace && !options.TraceEnable)
        {
            return RequestRejection.TraceDisabled;
        }

        if (line.Method == HttpMethod.Unknown && (options.RejectUnknownMethods || options.RegisteredMethodsOnly))
        {
            return RequestRejection.UnknownMethod;
        }

        return RequestRejection.None;
    }

    /// <summary>
    /// How the body is delimited, from the Transfer-Encoding and Content-Length field lines
    /// (<see cref="RequestFraming.Decide"/>); <paramref name="length"/> -1: no body unless chunked.
    /// </summary>
    public static RequestRejection DecideFraming(HttpRequestHeaders headers, int version, out bool chunked, out long length)
    {
        int te = headers.IndexOf("Transfer-Encoding");
        int cl = headers.IndexOf("Content-Length");
        if (te < 0 && cl < 0)
        {
            chunked = false;
            length = -1;
            return RequestRejection.None; // most requests: no body, nothing to count
        }

        return RequestFraming.Decide(
            version,
            LineCount(headers, "Transfer-Encoding", te),
            te < 0 ? default : headers.GetValueBytes(te),
            LineCount(headers, "Content-Length", cl),
            cl < 0 ? default : headers.GetValueBytes(cl),
            out chunked,
            out length);
    }

    /// <summary>
    /// Whether field lines of one name, joined with ", " as Apache's headers_in merge joins them,
    /// make a value longer than <paramref name="limit"/> (LimitRequestFieldSize; Apache's
    /// table_do_fn_check_lengths in protocol.c). When all values together fit, none can pass:
    /// the common case costs one pass over the lengths.
    /// </summary>
    private static bool MergedFieldTooLong(HttpRequestHeaders headers, int limit)
    {
        int count = headers.Count;
        if (count < 2)
        {
            return false;
        }

        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += headers.GetValueLength(i) + 2;
        }

        if (total - 2 <= limit)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            if (IsRepeat(headers, i))
            {
                continue; // counted with the first line of its name
            }

            long merged = headers.GetValueLength(i);
            for (int j = i + 1; j < count; j++)
            {
                if (headers.SameName(i, j))
                {
                    merged += 2 + headers.GetValueLength(j);
                }
            }

            if (merged > limit)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRepeat(HttpRequestHeaders headers, int index)
    {
        for (int k = 0; k < index; k++)
        {
            if (headers.SameName(k, index))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TakeHost(ReadOnlySpan<byte> buffer, int start, int length, bool strict, ref RequestHead head)
    {
        if (!HostField.TryParse(buffer.Slice(start, length), strict, out int nameLength, out int port))
        {
            return false;
        }

        head.HostStart = start;
        head.HostLength = nameLength;
        head.HostPort = port;
        head.HostValid = true;
        return true;
    }

    /// <summary>0, 1, or 2 for "more than one" field line named <paramref name="name"/>, the first at <paramref name="first"/>.</summary>
    private static int LineCount(HttpRequestHeaders headers, string name, int first) =>
        first < 0 ? 0 : headers.IndexOf(name, first + 1) < 0 ? 1 : 2;
}
