namespace Pluma.Http;

/// <summary>
/// A request the engine refuses: thrown by the body reader (bad chunk, LimitRequestBody, body
/// timeout) so that an application that does not catch it lets the engine answer with
/// <see cref="StatusCode"/> and close the connection.
/// </summary>
public sealed class HttpRequestRejectedException : Exception
{
    public HttpRequestRejectedException()
        : this(400, "Bad request")
    {
    }

    public HttpRequestRejectedException(string message)
        : this(400, message)
    {
    }

    public HttpRequestRejectedException(string message, Exception inner)
        : base(message, inner)
    {
        StatusCode = 400;
    }

    public HttpRequestRejectedException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the engine answers with.</summary>
    public int StatusCode { get; }
}
