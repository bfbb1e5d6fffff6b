namespace Pluma.Connections;

/// <summary>
/// Thrown by <see cref="Connection.Receive"/> and <see cref="Connection.Send"/> when the peer
/// did not move within the allowed time (Apache's Timeout, mod_reqtimeout).
/// </summary>
public sealed class ConnectionTimeoutException : Exception
{
    public ConnectionTimeoutException()
        : base("The connection timed out.")
    {
    }

    public ConnectionTimeoutException(string message)
        : base(message)
    {
    }

    public ConnectionTimeoutException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
