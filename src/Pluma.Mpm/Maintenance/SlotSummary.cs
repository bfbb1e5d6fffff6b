namespace Pluma.Mpm.Maintenance;

/// <summary>
/// What idle-server maintenance needs to know about one process slot, read from the
/// scoreboard by <see cref="SlotCounter"/> (or written by hand in tests).
/// </summary>
/// <param name="HasProcess">The slot has a pid.</param>
/// <param name="IdleThreads">Threads counted idle (DEAD, STARTING or READY of a current, accepting, not quiescing process).</param>
/// <param name="ActiveThreads">Threads from READY up to (not including) GRACEFUL.</param>
/// <param name="Quiescing">The process is stopping.</param>
public readonly record struct SlotSummary(bool HasProcess, int IdleThreads, int ActiveThreads, bool Quiescing)
{
    /// <summary>An empty slot.</summary>
    public static SlotSummary Free => default;
}
