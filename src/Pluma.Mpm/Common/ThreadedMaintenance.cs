using System.Collections.Generic;
using Pluma.Connections.Diagnostics;

namespace Pluma.Mpm.Common;

/// <summary>
/// What worker's and event's perform_idle_server_maintenance share word for word
/// (server/mpm/worker/worker.c and server/mpm/event/event.c); each MPM's own decision is in
/// Worker/WorkerMaintenance and Event/EventMaintenance.
/// </summary>
public static class ThreadedMaintenance
{
    /// <summary>One MPM's tick for bucket <paramref name="bucket"/> of <paramref name="buckets"/>.</summary>
    public delegate MaintenanceDecision Tick<in TSettings>(TSettings settings, ReadOnlySpan<SlotSummary> slots, MaintenanceState state, int bucket, int buckets);

    /// <summary>
    /// server_main_loop's call: one tick per listener bucket, the new children of bucket b
    /// joining b. Lazy on purpose: the parent starts one bucket's children before the next
    /// bucket's scoreboard is read, so children just started for one bucket are not free for the next.
    /// </summary>
    public static IEnumerable<(MaintenanceDecision Decision, int? Bucket)> EachBucket<TSettings>(
        Scoreboard.Scoreboard board,
        TSettings settings,
        MaintenanceState state,
        int buckets,
        Tick<TSettings> tick)
        where TSettings : ThreadedMpmSettings
    {
        for (int b = 0; b < buckets; b++)
        {
            // The scoreboard may have more slots than this MPM's ServerLimit (sized for any MPM).
            SlotSummary[] slots = SlotCounter.ReadThreads(board, Math.Min(board.ServerLimit, settings.ServerLimit), settings.ThreadsPerChild);
            yield return (tick(settings, slots, state, b, buckets), b);
        }
    }

    /// <summary>
    /// Short of idle threads at the MPM's limit: <paramref name="reached"/> when no thread is idle,
    /// else <paramref name="near"/>; each once per run.
    /// </summary>
    public static void ReportMaxRequestWorkers(int idle, MaintenanceState state, List<MaintenanceMessage> messages, string reached, string near)
    {
        if (idle == 0)
        {
            if (!state.MaxWorkersReported)
            {
                messages.Add(new(LogLevel.Error, reached));
                state.MaxWorkersReported = true;
            }
        }
        else if (!state.NearMaxWorkersReported)
        {
            messages.Add(new(LogLevel.Error, near));
            state.NearMaxWorkersReported = true;
        }
    }
}
