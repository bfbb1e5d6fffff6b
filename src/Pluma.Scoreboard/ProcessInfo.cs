namespace Pluma.Scoreboard;

/// <summary>A copy of one process slot, for mod_status's per-process table (event) and its JSON form.</summary>
public readonly record struct ProcessInfo(
    int Slot, int Pid, int Generation, bool Quiescing, bool NotAccepting, int Connections,
    int WriteCompletion, int KeepAlive, int LingeringClose, int Suspended, int WaitIo,
    int BusyThreads, int GracefulThreads, int IdleThreads)
{
    /// <summary>The child closed its copies of the listening sockets (it only finishes what it has).</summary>
    public bool ListenersClosed { get; init; }

    /// <summary>Unix microseconds when the parent started the child; 0 when unknown.</summary>
    public long StartTime { get; init; }

    /// <summary>Accepted connections waiting for a worker thread of this child.</summary>
    public int Queued { get; init; }
}
