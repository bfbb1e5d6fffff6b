namespace Pluma.Http.Protocol;

/// <summary>
/// What a complete, checked request head says about the request beyond its request line:
/// the host it names, how its body is framed, and what the client asked of the connection.
/// Offsets are into the head's buffer.
/// </summary>
internal struct RequestHead
{
    /// <summary>The host name (trailing dots dropped) in the buffer, valid when <see cref="HostValid"/>.</summary>
    public int HostStart;
    public int HostLength;
    public int HostPort;
    public bool HostValid;

    /// <summary>The body is chunked (RFC 9112 7.1).</summary>
    public bool Chunked;

    /// <summary>Content-Length, or -1: no body unless <see cref="Chunked"/>.</summary>
    public long ContentLength;

    /// <summary>"Expect: 100-continue" from an HTTP/1.1 client (HTTP/1.0 clients get no interim response).</summary>
    public bool Expecting100;

    public bool ClientConnectionClose;
    public bool ClientKeepAlive;

    /// <summary>Nothing known yet (a new request).</summary>
    public static RequestHead None => new() { ContentLength = -1 };
}
