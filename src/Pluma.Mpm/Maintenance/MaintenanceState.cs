namespace Pluma.Mpm.Maintenance;

/// <summary>
/// What maintenance remembers from one second to the next (part of the MPM's retained
/// data: it survives graceful restarts).
/// </summary>
public sealed class MaintenanceState
{
    /// <summary>Children that may be started this tick; doubles up to 32 while short of idle workers.</summary>
    public int SpawnRate { get; set; } = 1;

    /// <summary>Spawning ticks left without doubling (10 after a graceful restart).</summary>
    public int HoldOff { get; set; }

    /// <summary>"server reached MaxRequestWorkers setting" was logged (once per run).</summary>
    public bool MaxWorkersReported { get; set; }

    /// <summary>"within MinSpareThreads of MaxRequestWorkers" was logged (once per run).</summary>
    public bool NearMaxWorkersReported { get; set; }
}
