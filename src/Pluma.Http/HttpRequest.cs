using System.Net;
using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// The request line, header fields and body of one request. Strings are made on first use;
/// the byte accessors never allocate.
/// </summary>
public sealed class HttpRequest
{
    private readonly Http1Connection _owner;
    private IPEndPoint? _useragent;

    internal HttpRequest(Http1Connection owner)
    {
        _owner = owner;
        Headers = new HttpRequestHeaders();
    }

    /// <summary>The method token ("GET"); known methods are shared strings.</summary>
    public string Method => _owner.MethodName;

    /// <summary>The method as Apache numbers it; <see cref="HttpMethod.Unknown"/> for any other token.</summary>
    public HttpMethod MethodNumber => _owner.Line.Method;

    /// <summary>Whether the response must carry no body (HEAD).</summary>
    public bool IsHead => _owner.Line.Method == HttpMethod.Head;

    /// <summary>The request line as sent, without CRLF (%r).</summary>
    public string RequestLine => _owner.RequestLineString;

    /// <summary>The request line bytes.</summary>
    public ReadOnlySpan<byte> RequestLineBytes => _owner.RequestLineBytes;

    /// <summary>The request-target exactly as sent (origin-form, absolute-form or "*").</summary>
    public string RawTarget => _owner.RawTargetString;

    /// <summary>The request-target bytes.</summary>
    public ReadOnlySpan<byte> RawTargetBytes => _owner.RawTargetBytes;

    /// <summary>
    /// The path, percent-decoded (UTF-8), dot segments removed and slashes merged (Apache's
    /// MergeSlashes On); an encoded slash stays "%2F" (see <see cref="HasEncodedSlash"/>).
    /// "*" for OPTIONS *.
    /// </summary>
    public string Path => _owner.DecodedPath;

    /// <summary>The path as sent, still encoded (r->unparsed_uri without the query).</summary>
    public ReadOnlySpan<byte> RawPathBytes => _owner.RawPathBytes;

    /// <summary>The query string without '?', or null when the target has none (r->args).</summary>
    public string? QueryString => _owner.QueryString;

    /// <summary>Whether the path holds %2F, which Apache refuses with 404 unless AllowEncodedSlashes.</summary>
    public bool HasEncodedSlash => Pluma.Http.Protocol.UrlPath.ContainsEncodedSlash(_owner.RawPathBytes);

    /// <summary>"HTTP/1.1", "HTTP/1.0" or "HTTP/0.9" (r->protocol).</summary>
    public string Protocol => _owner.ProtocolString;

    /// <summary>major * 1000 + minor, as Apache's proto_num (1001 for HTTP/1.1).</summary>
    public int ProtocolNumber => _owner.Line.Version;

    /// <summary>The header fields.</summary>
    public HttpRequestHeaders Headers { get; }

    /// <summary>The host the request names (absolute-form authority or Host), lowercased, without port and trailing dot; null if none.</summary>
    public string? Host => _owner.HostName;

    /// <summary>The port given with the host, or 0.</summary>
    public int HostPort => _owner.HostPort;

    /// <summary>
    /// The client's address (Apache's r->useragent_addr): the connection's, unless mod_remoteip
    /// took another from a proxy's header for this request (<see cref="SetUseragent"/>).
    /// </summary>
    public IPEndPoint RemoteEndPoint => _useragent ?? _owner.Transport.RemoteEndPoint;

    /// <summary>The connection's TCP peer (Apache's c->client_addr: %{c}a, CONN_REMOTE_ADDR).</summary>
    public IPEndPoint PeerEndPoint => _owner.Transport.PeerEndPoint;

    /// <summary>Makes <paramref name="address"/> the client's address for the rest of this request (mod_remoteip).</summary>
    public void SetUseragent(IPEndPoint address) => _useragent = address;

    internal void ResetUseragent() => _useragent = null;

    /// <summary>The local address the client reached.</summary>
    public IPEndPoint LocalEndPoint => _owner.Transport.LocalEndPoint;

    /// <summary>The declared body length, or null (chunked or no body).</summary>
    public long? ContentLength => _owner.RequestContentLength;

    /// <summary>Whether the body is chunked.</summary>
    public bool IsChunked => _owner.RequestChunked;

    /// <summary>Whether a body follows the head.</summary>
    public bool HasBody => _owner.RequestChunked || _owner.RequestContentLength > 0;

    /// <summary>Whether the client waits for "100 Continue" before sending the body.</summary>
    public bool ExpectsContinue => _owner.Expecting100;

    /// <summary>
    /// Reads body bytes into <paramref name="buffer"/>; 0 at the end of the body. The first call
    /// sends "100 Continue" when the client asked for it. Throws
    /// <see cref="HttpRequestRejectedException"/> (400 bad chunk, 413 LimitRequestBody, 408 timeout).
    /// </summary>
    public int Read(Span<byte> buffer) => _owner.ReadBody(buffer);

    /// <summary>Reads and discards the rest of the body (ap_discard_request_body).</summary>
    public void DiscardBody() => _owner.DiscardBody();
}
