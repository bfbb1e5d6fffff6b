namespace Pluma.Connections;

/// <summary>
/// A worker's state as Apache's scoreboard names it (scoreboard.h); the numeric order matters:
/// the parent counts "up to Ready" as idle and "Ready up to Graceful" as active.
/// </summary>
public enum WorkerState : byte
{
    /// <summary><c>.</c> open slot, no process or thread.</summary>
    Dead = 0,
    /// <summary><c>S</c> starting up.</summary>
    Starting = 1,
    /// <summary><c>_</c> waiting for a connection.</summary>
    Ready = 2,
    /// <summary><c>R</c> reading the request.</summary>
    BusyRead = 3,
    /// <summary><c>W</c> processing or sending the reply.</summary>
    BusyWrite = 4,
    /// <summary><c>K</c> keep-alive, waiting for the next request.</summary>
    BusyKeepAlive = 5,
    /// <summary><c>L</c> logging.</summary>
    BusyLog = 6,
    /// <summary><c>D</c> DNS lookup.</summary>
    BusyDns = 7,
    /// <summary><c>C</c> closing the connection.</summary>
    Closing = 8,
    /// <summary><c>G</c> gracefully finishing.</summary>
    Graceful = 9,
    /// <summary><c>I</c> idle worker being cleaned up.</summary>
    IdleKill = 10,
}
