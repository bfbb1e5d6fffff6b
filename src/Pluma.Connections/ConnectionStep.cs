namespace Pluma.Connections;

/// <summary>
/// What a connection handler asks of the MPM when it gives a connection back.
/// </summary>
public enum ConnectionStep
{
    /// <summary>Close the connection (lingering close is the MPM's job).</summary>
    Close,

    /// <summary>
    /// The handler has answered every request it had and nothing is buffered: wait for the
    /// next request for at most <see cref="Connection.KeepAliveTimeout"/>, then call
    /// <see cref="IConnectionHandler.Serve"/> again. The worker MPM waits on its thread
    /// (scoreboard <c>K</c>); the event MPM parks the connection without a thread.
    /// </summary>
    WaitForNextRequest,
}
