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

    /// <summary>
    /// Part of a request head has arrived (or nothing yet, on a new connection) and the rest has
    /// not: wait until the connection is readable or <see cref="Connection.InputDeadline"/> has
    /// passed, then call <see cref="IConnectionHandler.Serve"/> again; it resumes where it stopped
    /// (the bytes and parse state travel in <see cref="Connection.ProtocolState"/>) and answers a
    /// timeout itself. The event MPM parks the connection without a thread, so a slow client
    /// (slowloris) holds no worker; prefork and worker wait on their own thread, as Apache's do.
    /// </summary>
    WaitForInput,

    /// <summary>
    /// A pipelined request is already buffered, but the end of the previous response is still
    /// waiting for the client to take it (<see cref="Connection.HasPendingOutput"/>): finish that
    /// output, then call <see cref="IConnectionHandler.Serve"/> again at once; it serves the
    /// buffered request (carried in <see cref="Connection.ProtocolState"/>). The event MPM writes
    /// the output without a thread, so a slow reader that pipelines requests holds no worker;
    /// prefork and worker never set output aside, so they just call Serve again.
    /// </summary>
    ResumeWhenWritten,
}
