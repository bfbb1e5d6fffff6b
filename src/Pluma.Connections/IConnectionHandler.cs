namespace Pluma.Connections;

/// <summary>
/// The protocol side of the seam between the MPM and HTTP (Apache's process_connection hook).
/// The MPM accepts a connection and calls <see cref="Serve"/> on a worker thread; the handler
/// reads and answers requests until the connection must close or goes idle.
/// </summary>
public interface IConnectionHandler
{
    /// <summary>
    /// Serves requests on <paramref name="connection"/> until it is idle (nothing buffered,
    /// keep-alive allowed) or must be closed. Never throws for network or protocol errors.
    /// </summary>
    ConnectionStep Serve(Connection connection);
}
