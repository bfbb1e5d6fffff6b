namespace Pluma.Http.Protocol;

/// <summary>
/// Apache 2.4's ap_meets_conditions and its ap_condition_if_* helpers (http_protocol.c), on the
/// request's header bytes. Times are compared in whole seconds, as HTTP dates carry; a
/// Last-Modified less than 60 s before the request only matches weakly, and weak matches do
/// not count when the request has a Range.
/// </summary>
public static class ConditionalRequest
{
    private enum Condition
    {
        None,
        NoMatch,
        Weak,
        Strong,
    }

    /// <summary>
    /// Evaluates If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since and If-Range
    /// in Apache's order. <paramref name="etag"/> is the response's ETag (empty when none);
    /// <paramref name="lastModified"/> the (rationalized) Last-Modified and
    /// <paramref name="requestTime"/> the request's time, both in Unix seconds.
    /// </summary>
    public static Precondition Evaluate(HttpRequestHeaders headers, HttpMethod method, ReadOnlySpan<byte> etag, long lastModified, long requestTime)
    {
        ArgumentNullException.ThrowIfNull(headers);

        // None of the five fields (most requests): every condition below is None, so Proceed.
        if (!headers.HasIfField())
        {
            return Precondition.Proceed;
        }

        // HEAD is M_GET in Apache's method numbers.
        bool get = method is HttpMethod.Get or HttpMethod.Head;
        bool hasRange = headers.IndexOf("Range") >= 0;
        bool? notModified = null;

        Condition c = IfMatch(headers, etag);
        if (c == Condition.NoMatch)
        {
            return Precondition.Failed;
        }

        c = IfUnmodifiedSince(headers, lastModified, requestTime, hasRange);
        if (c == Condition.NoMatch)
        {
            notModified = false;
        }
        else if (c >= Condition.Weak)
        {
            return Precondition.Failed;
        }

        c = IfNoneMatch(headers, etag, get, hasRange);
        if (c == Condition.NoMatch)
        {
            notModified = false;
        }
        else if (c >= Condition.Weak)
        {
            if (!get)
            {
                return Precondition.Failed;
            }

            notModified ??= true;
        }

        c = IfModifiedSince(headers, lastModified, requestTime, hasRange);
        if (c == Condition.NoMatch)
        {
            notModified = false;
        }
        else if (c >= Condition.Weak && get)
        {
            notModified ??= true;
        }

        // A matching If-Range with a Range wins: the byterange filter turns it into a 206.
        if (IfRange(headers, etag, lastModified, requestTime) > Condition.None)
        {
            return Precondition.Proceed;
        }

        return notModified == true ? Precondition.NotModified : Precondition.Proceed;
    }

    /// <summary>
    /// Whether a Range may be honoured (ap_condition_if_range): true without If-Range; with it,
    /// only when it names the strong ETag exactly, or a date equal to an old enough Last-Modified.
    /// </summary>
    public static bool RangeAllowed(HttpRequestHeaders headers, ReadOnlySpan<byte> etag, long lastModified, long requestTime)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return IfRange(headers, etag, lastModified, requestTime) != Condition.NoMatch;
    }

    /// <summary>The field's value as Apache's merged headers_in gives it (all lines joined by ", ").</summary>
    internal static bool TryGet(HttpRequestHeaders headers, string name, out ReadOnlySpan<byte> value)
    {
        int i = headers.IndexOf(name);
        if (i < 0)
        {
            value = default;
            return false;
        }

        // Repeated fields are rare: joining them may allocate.
        value = headers.IndexOf(name, i + 1) < 0 ? headers.GetValueBytes(i) : System.Text.Encoding.Latin1.GetBytes(headers.GetCombined(name)!);
        return true;
    }

    private static Condition IfMatch(HttpRequestHeaders headers, ReadOnlySpan<byte> etag)
    {
        if (!TryGet(headers, "If-Match", out ReadOnlySpan<byte> value))
        {
            return Condition.None;
        }

        return value is [(byte)'*', ..] || (!etag.IsEmpty && EntityTag.ListMatchesStrong(value, etag)) ? Condition.Strong : Condition.NoMatch;
    }

    private static Condition IfUnmodifiedSince(HttpRequestHeaders headers, long mtime, long requestTime, bool hasRange)
    {
        if (!TryGet(headers, "If-Unmodified-Since", out ReadOnlySpan<byte> value))
        {
            return Condition.None;
        }

        if (HttpDate.TryParseSeconds(value, out long since) && since != 0 && mtime > since)
        {
            return Freshness(mtime, requestTime, hasRange);
        }

        return Condition.NoMatch;
    }

    private static Condition IfNoneMatch(HttpRequestHeaders headers, ReadOnlySpan<byte> etag, bool get, bool hasRange)
    {
        if (!TryGet(headers, "If-None-Match", out ReadOnlySpan<byte> value))
        {
            return Condition.None;
        }

        if (value is [(byte)'*', ..])
        {
            return Condition.Strong;
        }

        if (etag.IsEmpty)
        {
            return Condition.NoMatch;
        }

        // The weak comparison only for GET/HEAD, and not when a range is asked for.
        if (get && !hasRange)
        {
            return EntityTag.ListMatchesWeak(value, etag) ? Condition.Weak : Condition.NoMatch;
        }

        return EntityTag.ListMatchesStrong(value, etag) ? Condition.Strong : Condition.NoMatch;
    }

    private static Condition IfModifiedSince(HttpRequestHeaders headers, long mtime, long requestTime, bool hasRange)
    {
        if (!TryGet(headers, "If-Modified-Since", out ReadOnlySpan<byte> value))
        {
            return Condition.None;
        }

        // An unparsable date is APR_DATE_BAD, which compares as 0; a date in the future is invalid.
        long since = HttpDate.TryParseSeconds(value, out long parsed) ? parsed : 0;
        return since >= mtime && since <= requestTime ? Freshness(mtime, requestTime, hasRange) : Condition.NoMatch;
    }

    private static Condition IfRange(HttpRequestHeaders headers, ReadOnlySpan<byte> etag, long mtime, long requestTime)
    {
        if (headers.IndexOf("Range") < 0 || !TryGet(headers, "If-Range", out ReadOnlySpan<byte> value))
        {
            return Condition.None;
        }

        if (value is [(byte)'"', ..])
        {
            // strcmp: only the identical strong tag (a weak ETag starts with W/, never a quote).
            return !etag.IsEmpty && value.SequenceEqual(etag) ? Condition.Strong : Condition.NoMatch;
        }

        long date = HttpDate.TryParseSeconds(value, out long parsed) ? parsed : 0;
        return date == mtime && requestTime >= mtime + 60 ? Condition.Strong : Condition.NoMatch;
    }

    /// <summary>A validator less than a minute old is only a weak match, and none at all for a Range.</summary>
    private static Condition Freshness(long mtime, long requestTime, bool hasRange)
    {
        if (requestTime < mtime + 60)
        {
            return hasRange ? Condition.NoMatch : Condition.Weak;
        }

        return Condition.Strong;
    }
}
