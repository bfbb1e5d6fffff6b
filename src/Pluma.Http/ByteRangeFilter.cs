using System.Buffers;
using System.Text;
using Pluma.Http.Protocol;

namespace Pluma.Http;

/// <summary>
/// Apache's BYTERANGE protocol filter (byterange_filter.c ap_byterange_filter) after content
/// filters that change a file's body (DEFLATE): the ranges apply to what those filters made, so
/// a Range on a gzip response gets a part of the gzip stream, with the total length of the
/// compressed body and If-Range checked against the ETag they left ("...-gzip"). As Apache's,
/// it ranges only a body that arrives whole: a flush before the end (mod_deflate passing a full
/// buffer on) makes it step aside, and the whole body goes out with 200.
/// </summary>
internal sealed class ByteRangeFilter : OutputFilter
{
    private const int FirstBuffer = 16 * 1024;

    private readonly HttpContext _context;
    private readonly RangeLimits _limits;
    private readonly long _lastModified;
    private readonly long _requestTime;
    private readonly bool _keepsVary;
    private byte[]? _body;
    private int _length;
    private bool _passing;

    /// <param name="keepsVary">Whether the response had a Vary before the content filters ran (a 416 keeps only that one).</param>
    public ByteRangeFilter(HttpContext context, RangeLimits limits, long lastModifiedSeconds, long requestSeconds, bool keepsVary)
    {
        _context = context;
        _limits = limits;
        _lastModified = lastModifiedSeconds;
        _requestTime = requestSeconds;
        _keepsVary = keepsVary;
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (_passing)
        {
            Pass(data);
            return;
        }

        if (_body is null)
        {
            _body = ArrayPool<byte>.Shared.Rent(Math.Max(FirstBuffer, data.Length));
        }
        else if (_body.Length - _length < data.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_body.Length * 2, _length + data.Length));
            _body.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_body);
            _body = larger;
        }

        data.CopyTo(_body.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>A brigade without the end of stream: "Don't attempt to do byte range work", pass everything on.</summary>
    public override void Flush()
    {
        StepAside();
        PassFlush();
    }

    public override void End()
    {
        if (!_passing)
        {
            Finish();
        }

        PassEnd();
    }

    protected override void Detached()
    {
        if (_body is not null)
        {
            ArrayPool<byte>.Shared.Return(_body);
            _body = null;
        }

        _length = 0;
    }

    private void StepAside()
    {
        if (_passing)
        {
            return;
        }

        _passing = true;
        if (_length > 0)
        {
            Pass(_body.AsSpan(0, _length));
        }
    }

    /// <summary>The whole body is here: ap_set_byterange on its length, then 206, 416 or the body as it is.</summary>
    private void Finish()
    {
        HttpResponse response = Response;
        HttpRequest request = _context.Request;
        _passing = true;
        ReadOnlySpan<byte> body = _body.AsSpan(0, _length);
        if (body.IsEmpty || response.StatusCode != 200
            || !StaticFileResponder.TryGetRange(request.Headers, out ReadOnlySpan<byte> range, out bool legacy)
            || !ConditionalRequest.RangeAllowed(request.Headers, CurrentETag(response), _lastModified, _requestTime))
        {
            Pass(body);
            return;
        }

        ByteRange[] ranges = new ByteRange[4];
        switch (ByteRangeParser.Parse(range, body.Length, _limits, ref ranges, out int count))
        {
            case RangeOutcome.NotSatisfiable:
                // send_416: an error bucket, so the 416 page replaces this response (the filters leave
                // with it, and so does the Vary they put in headers_out).
                if (!_keepsVary)
                {
                    response.Headers.Remove("Vary");
                }

                _context.SendUnframedErrorPage(416);
                return;
            case RangeOutcome.Partial:
                GeneratedBodyResponder.SendRanges(response, body, ranges.AsSpan(0, count), legacy || StaticFileResponder.IsMsie3(request.Headers), Pass);
                return;
            default:
                Pass(body);
                return;
        }
    }

    private static byte[] CurrentETag(HttpResponse response) =>
        response.Headers["ETag"] is { } etag ? Encoding.Latin1.GetBytes(etag) : [];
}
