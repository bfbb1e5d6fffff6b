using Microsoft.Win32.SafeHandles;
using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// The response of one request. The head goes out with the first body bytes that overflow the
/// connection's output buffer, at <see cref="SendFile"/>, or when the application returns; a
/// response that fits is sent with one write, with a Content-Length the engine computes.
/// Otherwise the body is chunked (HTTP/1.1) or ends with the connection (HTTP/1.0).
/// </summary>
public sealed class HttpResponse
{
    private readonly Http1Connection _owner;

    internal HttpResponse(Http1Connection owner)
    {
        _owner = owner;
        Headers = new HttpResponseHeaders();
    }

    /// <summary>The status code (default 200).</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>The reason phrase; null uses Apache's for the status.</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>Header fields, in the order they will be sent.</summary>
    public HttpResponseHeaders Headers { get; }

    /// <summary>Content-Type; Apache sends it after every other field.</summary>
    public string? ContentType { get; set; }

    /// <summary>The Content-Length field: setting it places the field where Apache's handler would.</summary>
    public long? ContentLength
    {
        get
        {
            int i = Headers.IndexOf("Content-Length");
            return i >= 0 && Headers.TryGetNumber(i, out long length) ? length : null;
        }

        set
        {
            if (value is long length)
            {
                Headers.SetNumber("Content-Length", length);
            }
            else
            {
                Headers.Remove("Content-Length");
            }
        }
    }

    /// <summary>Whether the head has been sent (status and headers can no longer change).</summary>
    public bool HasStarted => _owner.HeadSent;

    /// <summary>Bytes sent for this response, head included (%O, without chunk framing's difference).</summary>
    public long BytesSent => _owner.BytesSent;

    /// <summary>Body bytes sent (%B).</summary>
    public long BodyBytesSent => _owner.BodyBytesSent;

    /// <summary>Appends body bytes (discarded for HEAD, but counted for its Content-Length).</summary>
    public void Write(ReadOnlySpan<byte> data) => _owner.WriteBody(data);

    /// <summary>Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/> (sendfile).</summary>
    public void SendFile(SafeFileHandle file, long offset, long count) => _owner.SendFileBody(file, offset, count);

    /// <summary>Sends the head and everything buffered now.</summary>
    public void Flush() => _owner.FlushBody();

    internal void Reset()
    {
        StatusCode = 200;
        ReasonPhrase = null;
        ContentType = null;
        Headers.Clear();
    }
}
