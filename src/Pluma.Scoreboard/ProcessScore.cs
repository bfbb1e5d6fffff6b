using System.Runtime.InteropServices;

namespace Pluma.Scoreboard;

/// <summary>One child process slot (Apache's process_score), 64 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public struct ProcessScore
{
    /// <summary>0 when the slot is free.</summary>
    public int Pid;
    public int Generation;
    /// <summary>1 while the child is stopping (graceful); mod_status's "Stopping".</summary>
    public byte Quiescing;
    /// <summary>1 while an event child refuses new connections (accept limit reached).</summary>
    public byte NotAccepting;
    /// <summary>1 once the child closed its copies of the listening sockets (graceful stop waits for it).</summary>
    public byte ListenersClosed;
    public byte Reserved;
    public int Bucket;
    /// <summary>Open connections of the child (event).</summary>
    public int Connections;
    public int WriteCompletion;
    public int KeepAlive;
    public int LingeringClose;
    public int Suspended;
    public int WaitIo;
    /// <summary>Unix time (microseconds) when the parent started this child.</summary>
    public long StartTime;
    /// <summary>Connections the child accepted that wait for a worker thread (event's worker queue).</summary>
    public int Queued;
}
