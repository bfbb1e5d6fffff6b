namespace Pluma.Http.Internal;

/// <summary>
/// Where one response stands (Apache keeps the same facts on request_rec and in the http
/// header/chunk filters' contexts): what is buffered, whether the head went out, its framing and
/// the connection decision, byte counts for the log, and a head refused for an unsafe field.
/// A struct held by value in <see cref="Http1Connection"/>: reset to default for each request
/// (<see cref="Http1Connection"/>.BeginRequest), so it costs no allocation.
/// </summary>
internal struct ResponseState
{
    /// <summary>Body bytes buffered in the output buffer after its head reserve, not sent yet.</summary>
    public int BodyLength;

    /// <summary>The status line and fields went out: nothing in the head can change now.</summary>
    public bool HeadSent;

    /// <summary>The body goes out chunked (HTTP/1.1, no Content-Length known when the head went out).</summary>
    public bool Chunked;

    /// <summary>ap_set_keepalive's answer: the connection stays open after this response.</summary>
    public bool KeepAlive;

    /// <summary>The client asked for keep-alive explicitly, so Keep-Alive and Connection fields are sent.</summary>
    public bool SendKeepAliveHeaders;

    /// <summary>Close after the response but send no "Connection: close" (Apache's 417 does so).</summary>
    public bool CloseWithoutHeader;

    /// <summary>Do not announce the body's length even when it all fits the buffer.</summary>
    public bool OmitContentLength;

    /// <summary>
    /// The 416 page a range filter answers with (Apache's error bucket, send_416): it carries no
    /// Content-Length, and is chunked only on a connection that stays open; on one that closes the
    /// page is close-delimited, as Apache sends it.
    /// </summary>
    public bool UnframedErrorPage;

    /// <summary>force-response-1.0 on an HTTP/1.0 request: the status line says HTTP/1.0 and the connection closes.</summary>
    public bool StatusLineHttp10;

    /// <summary>The request or its framing leaves the connection unusable: close after answering.</summary>
    public bool ConnectionClose;

    /// <summary>Every byte written to the client (head and body), for %O and the scoreboard.</summary>
    public long BytesSent;

    /// <summary>Body bytes written (%B), checked against the declared Content-Length.</summary>
    public long BodyBytesSent;

    /// <summary>HEAD: the body bytes the application would have sent (its Content-Length if it set none).</summary>
    public long HeadBodyCount;

    /// <summary>The response was ended (the last chunk or the whole body went out).</summary>
    public bool Finished;

    /// <summary>The head was refused for a field that could split it: the 500 page replaced it.</summary>
    public bool HeadRefused;

    /// <summary>Which field was refused and why (for the AH0242x line; set only on refusal).</summary>
    public FieldWrite Refusal;
    public string? RefusedName;
    public string? RefusedValue;
}
