using System.Runtime.InteropServices;

namespace Pluma.Scoreboard;

/// <summary>
/// The scoreboard's global part (Apache's global_score). Written by the parent only.
/// Layout is fixed: it is shared between processes through the mapped file.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
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
}
