using System.Collections.Generic;

namespace Pluma.Mpm.Common;

/// <summary>
/// What one pass over the scoreboard found for event/worker maintenance: the idle and active
/// thread counts, the processes, and the slots a new child may be started in. event and
/// worker disagree on which slots are free, so each has its own scan.
/// </summary>
internal sealed class ThreadedScan
{
    public int Idle { get; private set; }

    public int ActiveThreads { get; private set; }

    /// <summary>Processes that are not stopping (event's active_daemons).</summary>
    public int ActiveDaemons { get; private set; }

    /// <summary>Processes, stopping or not (event's total_daemons).</summary>
    public int TotalDaemons { get; private set; }

    /// <summary>
    /// worker's total_non_dead: scanned slots without a GRACEFUL thread, empty ones included
    /// (what its AH00289 calls "total children").
    /// </summary>
    public int TotalNonDead { get; private set; }

    /// <summary>Candidate slots, best first.</summary>
    public List<int> Free { get; } = [];

    /// <summary>
    /// event: every slot of the scoreboard is looked at (old generations may hold any of
    /// them); a slot is free only when no process has it.
    /// With several listener buckets only the idle threads of <paramref name="bucket"/>'s
    /// children count; a child's bucket is the one it was started for, whatever its slot.
    /// </summary>
    public static ThreadedScan Event(ThreadedMpmSettings settings, ReadOnlySpan<SlotSummary> slots, int spawnRate, int bucket)
    {
        var scan = new ThreadedScan();
        int end = Math.Min(slots.Length, settings.ServerLimit);
        for (int i = 0; i < end; i++)
        {
            SlotSummary s = slots[i];
            if (s.HasProcess)
            {
                scan.TotalDaemons++;
                if (!s.Quiescing)
                {
                    scan.ActiveDaemons++;
                }

                if (s.Bucket == bucket)
                {
                    scan.Idle += s.IdleThreads;
                }

                scan.ActiveThreads += s.ActiveThreads;
            }
            else if (scan.Free.Count < spawnRate)
            {
                scan.Free.Add(i);
            }
        }

        return scan;
    }

    /// <summary>
    /// worker (server/mpm/worker/worker.c perform_idle_server_maintenance): only the first MaxDaemons slots exist for it, and a slot is free
    /// when it has a DEAD thread and no process or a stopping one: a new child takes over the
    /// thread entries the old one has left and starts the rest as they free up. Fully dead
    /// slots go first (the new child gets all its threads at once), slots still in use at the
    /// back. The scan stops past the last used slot once enough fully dead slots are found.
    /// With B listener buckets, bucket b owns the slots i with i % B == b.
    /// </summary>
    public static ThreadedScan Worker(ThreadedMpmSettings settings, ReadOnlySpan<SlotSummary> slots, int spawnRate, int maxSpawnRate, int bucket, int buckets)
    {
        var scan = new ThreadedScan();
        int end = Math.Min(slots.Length, settings.MaxDaemons);
        int lastUsed = 0;
        for (int i = 0; i < end; i++)
        {
            if (slots[i].HasProcess)
            {
                lastUsed = i + 1;
            }
        }

        int totallyFree = 0;
        for (int i = 0; i < end; i++)
        {
            if (buckets > 1 && i % buckets != bucket)
            {
                continue;
            }

            if (i >= lastUsed && totallyFree == spawnRate)
            {
                break;
            }

            SlotSummary s = slots[i];
            if (s.HasProcess)
            {
                scan.TotalDaemons++;
                scan.Idle += s.IdleThreads;
                scan.ActiveThreads += s.ActiveThreads;
            }

            if (s.AnyDeadThread(settings.ThreadsPerChild) && totallyFree < spawnRate && scan.Free.Count < maxSpawnRate
                && (!s.HasProcess || s.Quiescing))
            {
                if (s.AllThreadsDead)
                {
                    // In front of every slot still in use: the one it displaces goes to the end.
                    if (totallyFree < scan.Free.Count)
                    {
                        scan.Free.Add(scan.Free[totallyFree]);
                        scan.Free[totallyFree] = i;
                    }
                    else
                    {
                        scan.Free.Add(i);
                    }

                    totallyFree++;
                }
                else
                {
                    scan.Free.Add(i);
                }
            }

            if (!s.AnyDyingThread)
            {
                scan.TotalNonDead++;
            }
        }

        return scan;
    }
}
