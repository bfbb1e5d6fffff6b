using System.Runtime.InteropServices;

namespace Pluma.Scoreboard;

/// <summary>
/// The scoreboard's global part (Apache's global_score). Written by the parent only.
/// Layout is fixed: it is shared between processes through the mapped file.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 192)]
public struct GlobalScore
{
    /// <summary><see cref="Scoreboard.Magic"/> once the parent finished creating the file.</summary>
    public long Magic;
    public int LayoutVersion;
    public int ServerLimit;
    public int ThreadLimit;
    /// <summary>The MPM generation children must belong to (0 at start, +1 per restart).</summary>
    public int RunningGeneration;
    /// <summary>Reset by a start or hard restart only (graceful restarts keep it): Unix time, microseconds.</summary>
    public long RestartTime;
    /// <summary>ParentServerConfigGeneration: configuration loads, 1 at start.</summary>
    public int ConfigGeneration;
    /// <summary>The process limit in force (mod_status prints slots below it).</summary>
    public int MaxDaemons;
    /// <summary>ThreadsPerChild in force (1 for prefork).</summary>
    public int ThreadsPerChild;
    public int MaxRequestWorkers;
    public int ParentPid;
    /// <summary>ASCII, zero padded: <c>event</c>, <c>worker</c>, <c>prefork</c>.</summary>
    public Bytes16 MpmName;
    /// <summary>ServerLimit as configured (the file may have more slots: it is sized for any MPM a restart may switch to).</summary>
    public int ConfiguredServerLimit;
    /// <summary>ThreadLimit as configured (1 for prefork).</summary>
    public int ConfiguredThreadLimit;

    // What the parent's maintenance loop has seen since the scoreboard was created (a start;
    // restarts keep it), for `pluma -k advise` (LoadObserver). Written by the parent only.

    /// <summary>The most workers busy at one maintenance tick (keep-alive waits on a worker included).</summary>
    public int PeakBusyWorkers;
    /// <summary>The most open connections at one tick (busy workers plus event's parked ones).</summary>
    public int PeakConnections;
    /// <summary>Maintenance ticks observed (about one a second).</summary>
    public long LoadSamples;
    /// <summary>Sum over the ticks of open connections; with <see cref="KeepAliveSamples"/> the keep-alive share.</summary>
    public long ConnectionSamples;
    /// <summary>Sum over the ticks of connections waiting for their next request (K workers, event's parked ones).</summary>
    public long KeepAliveSamples;
    /// <summary>Sum over the ticks of busy workers (the mean busy workers).</summary>
    public long BusySamples;
    /// <summary>Unix time, microseconds, of the tick that saw <see cref="PeakBusyWorkers"/>.</summary>
    public long PeakTime;
    /// <summary>Unix time, microseconds, of the first observed tick.</summary>
    public long ObservedSince;
}
