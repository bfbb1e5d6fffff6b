namespace Pluma.Mpm.Common;

/// <summary>
/// What idle-server maintenance needs to know about one process slot, read from the
/// scoreboard by <see cref="SlotCounter"/> (or written by hand in tests).
/// </summary>
/// <param name="HasProcess">The slot has a pid.</param>
/// <param name="IdleThreads">Threads counted idle (DEAD, STARTING or READY of a current, accepting, not quiescing process).</param>
/// <param name="ActiveThreads">Threads from READY up to (not including) GRACEFUL.</param>
/// <param name="Quiescing">The process is stopping.</param>
/// <param name="OccupiedThreads">
/// Thread entries (of the first ThreadsPerChild) that are not DEAD, whoever holds them: a new
/// worker child can only start threads in the others. 0, the default, is a slot whose entries are all dead.
/// </param>
/// <param name="RunningThreads">Thread entries that are neither DEAD nor GRACEFUL (so OccupiedThreads − RunningThreads are GRACEFUL).</param>
/// <param name="Bucket">The listener bucket of the process (event counts idle threads per bucket).</param>
public readonly record struct SlotSummary(
    bool HasProcess,
    int IdleThreads,
    int ActiveThreads,
    bool Quiescing,
    int OccupiedThreads = 0,
    int RunningThreads = 0,
    int Bucket = 0)
{
    /// <summary>An empty slot.</summary>
    public static SlotSummary Free => default;

    /// <summary>Apache's any_dead_threads: at least one of the first <paramref name="threadsPerChild"/> entries is DEAD.</summary>
    public bool AnyDeadThread(int threadsPerChild) => OccupiedThreads < threadsPerChild;

    /// <summary>Apache's all_dead_threads: every entry is DEAD or GRACEFUL.</summary>
    public bool AllThreadsDead => RunningThreads == 0;

    /// <summary>Apache's any_dying_threads: some entry is GRACEFUL.</summary>
    public bool AnyDyingThread => OccupiedThreads > RunningThreads;
}
