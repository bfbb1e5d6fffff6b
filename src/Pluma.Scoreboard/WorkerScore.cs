using System.Runtime.InteropServices;

namespace Pluma.Scoreboard;

/// <summary>One worker slot (Apache's worker_score), 256 bytes, written by its own thread only.</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
public struct WorkerScore
{
    /// <summary>A <see cref="ScoreState"/> value.</summary>
    public byte Status;
    public byte Reserved1;
    public short Reserved2;
    public int Pid;
    /// <summary>Linux thread id of the worker.</summary>
    public int Tid;
    public int Generation;
    /// <summary>Requests served in this slot since the scoreboard was created (Acc, third number).</summary>
    public long AccessCount;
    public long BytesServed;
    /// <summary>Requests served by this slot in its current child (Acc, second number).</summary>
    public long MyAccessCount;
    public long MyBytesServed;
    /// <summary>Requests served on the current connection (Acc, first number).</summary>
    public long ConnCount;
    public long ConnBytes;
    /// <summary>Unix time, microseconds, when the current/last request started.</summary>
    public long StartTime;
    /// <summary>Unix time, microseconds, when the last request ended.</summary>
    public long StopTime;
    /// <summary>Unix time, microseconds, of the last state change.</summary>
    public long LastUsed;
    /// <summary>Sum of request durations in this slot, microseconds.</summary>
    public long Duration;
    public Bytes32 Client;
    public Bytes64 Request;
    public Bytes32 Vhost;
    public Bytes16 Protocol;
}
