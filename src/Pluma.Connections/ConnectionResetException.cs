namespace Pluma.Connections;

/// <summary>
/// Thrown by <see cref="Connection"/> I/O when the peer reset or closed the connection under
/// us. Transports translate their own errors into this one type (and nowhere else).
/// </summary>
public sealed class ConnectionResetException : Exception
{
    public ConnectionResetException()
        : base("The connection was reset by the peer.")
    {
    }

    public ConnectionResetException(string message)
        : base(message)
    {
    }

    public ConnectionResetException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
