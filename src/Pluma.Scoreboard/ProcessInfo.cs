namespace Pluma.Scoreboard;

/// <summary>A copy of one process slot, for mod_status's per-process table (event).</summary>
public readonly record struct ProcessInfo(
    int Slot, int Pid, int Generation, bool Quiescing, bool NotAccepting, int Connections,
    int WriteCompletion, int KeepAlive, int LingeringClose, int Suspended, int WaitIo,
    int BusyThreads, int GracefulThreads, int IdleThreads);
