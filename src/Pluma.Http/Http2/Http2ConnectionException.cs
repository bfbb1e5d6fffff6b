namespace Pluma.Http.Http2;

/// <summary>A connection error (RFC 9113 5.4.1): the engine answers with GOAWAY and closes.</summary>
public sealed class Http2ConnectionException : Exception
{
    public Http2ConnectionException()
    {
    }

    public Http2ConnectionException(string message)
        : base(message)
    {
    }

    public Http2ConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public Http2ConnectionException(Http2ErrorCode error, string message)
        : base(message)
    {
        Error = error;
    }

    public Http2ErrorCode Error { get; } = Http2ErrorCode.ProtocolError;
}
