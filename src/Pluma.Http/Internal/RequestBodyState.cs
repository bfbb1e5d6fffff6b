namespace Pluma.Http.Internal;

/// <summary>Where the chunked decoder is (RFC 9112 7.1): a size line, data, the CRLF after data, or the trailer section.</summary>
internal enum ChunkState
{
    Size,
    Data,
    DataEnd,
    Trailers,
}

/// <summary>
/// How far one request's body has been read (Apache's http_filters.c ap_http_filter context):
/// reset to default for each request.
/// </summary>
internal struct RequestBodyState
{
    /// <summary>Content-Length bytes still to come.</summary>
    public long Remaining;

    /// <summary>Body bytes read so far (checked against LimitRequestBody).</summary>
    public long Read;

    /// <summary>The first read happened (LimitRequestBody checked, 100 Continue sent, body timeout started).</summary>
    public bool Started;

    /// <summary>The body is over: the next request starts at the buffer position.</summary>
    public bool Done;

    public ChunkState Chunk;
    public long ChunkRemaining;
    public int TrailerCount;

    /// <summary>Chunk-extension bytes of this body so far (bounded, RFC 9112 7.1.1).</summary>
    public int ChunkExtensionBytes;

    /// <summary>mod_reqtimeout's body stage (Stopwatch ticks).</summary>
    public long Deadline;
}
