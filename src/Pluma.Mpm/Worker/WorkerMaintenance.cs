using System.Collections.Generic;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Worker;

/// <summary>
/// worker's perform_idle_server_maintenance (server/mpm/worker/worker.c), as a pure function of
/// the scoreboard summaries and the retained <see cref="MaintenanceState"/>. Where it differs
/// from event's: only the first MaxDaemons slots exist, a slot is free while its stopping child
/// still finishes requests (the new child takes its thread entries over as they free up), each
/// bucket owns the slots i with i % buckets == bucket and gets its share of MaxRequestWorkers,
/// and the spawn rate doubles up to its bucket's share of 32.
/// </summary>
public static class WorkerMaintenance
{
    /// <summary>server_main_loop's call: one tick per listener bucket.</summary>
    public static IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, WorkerSettings settings, MaintenanceState state, int buckets) =>
        ThreadedMaintenance.EachBucket(board, settings, state, buckets, PerformIdleServerMaintenance);

    /// <summary>
    /// Runs one tick for listener bucket <paramref name="bucket"/> of <paramref name="buckets"/>
    /// (Apache runs it once per bucket, with the spare-thread limits divided by the bucket
    /// count). <paramref name="slots"/> has at least MaxDaemons entries.
    /// </summary>
    public static MaintenanceDecision PerformIdleServerMaintenance(WorkerSettings settings, ReadOnlySpan<SlotSummary> slots, MaintenanceState state, int bucket = 0, int buckets = 1)
    {
        int rate = state.GetSpawnRate(bucket);
        // ceil(32 / B) per bucket, doubling capped there.
        int maxRate = Math.Max(1, (MpmDefaults.MaxSpawnRate + buckets - 1) / buckets);
        Scan scan = Scan.Of(settings, slots, rate, maxRate, bucket, buckets);
        int idle = scan.Idle;
        List<int> free = scan.Free;
        var messages = new List<MaintenanceMessage>();
        bool kill = false;
        int[] spawn = [];
        if (idle > settings.MaxSpareThreads / buckets)
        {
            kill = true;
            rate = 1;
        }
        else if (idle < settings.MinSpareThreads / buckets)
        {
            // At the bucket's share of MaxRequestWorkers only when no slot is free (a slot still
            // finishing old requests is free for a new child).
            if (free.Count == 0 && scan.ActiveThreads >= settings.MaxRequestWorkers / buckets)
            {
                ThreadedMaintenance.ReportMaxRequestWorkers(idle, state, messages,
                    reached: "AH00286: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
                    near: "AH00287: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting");
                rate = 1;
            }
            else if (free.Count == 0)
            {
                messages.Add(new(LogLevel.Error, "AH00288: scoreboard is full, not at MaxRequestWorkers"));
                rate = 1;
            }
            else
            {
                int n = Math.Min(free.Count, rate);
                if (rate >= 8)
                {
                    messages.Add(new(LogLevel.Info,
                        $"AH00289: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning {n} children, there are around {idle} idle threads, and {scan.TotalNonDead} total children"));
                }

                spawn = free.GetRange(0, n).ToArray();
                if (state.HoldOff > 0)
                {
                    state.HoldOff--;
                }
                else if (rate < maxRate)
                {
                    rate = Math.Min(rate * 2, maxRate);
                }
            }
        }
        else
        {
            rate = 1;
        }

        state.SetSpawnRate(bucket, rate);
        return new MaintenanceDecision(spawn, kill, messages, idle, bucket);
    }

    /// <summary>What one pass over the scoreboard found.</summary>
    private sealed class Scan
    {
        public int Idle { get; private set; }

        public int ActiveThreads { get; private set; }

        /// <summary>
        /// total_non_dead: scanned slots without a GRACEFUL thread, empty ones included (what
        /// AH00289 calls "total children").
        /// </summary>
        public int TotalNonDead { get; private set; }

        /// <summary>Slots a new child may start in, best first.</summary>
        public List<int> Free { get; } = [];

        /// <summary>
        /// Only the first MaxDaemons slots exist, and a slot is free when it has a DEAD thread
        /// and no process or a stopping one: a new child takes over the thread entries the old
        /// one has left and starts the rest as they free up. Fully dead slots go first (the new
        /// child gets all its threads at once), slots still in use at the back. The scan stops
        /// past the last used slot once enough fully dead slots are found. With B listener
        /// buckets, bucket b owns the slots i with i % B == b.
        /// </summary>
        public static Scan Of(WorkerSettings settings, ReadOnlySpan<SlotSummary> slots, int spawnRate, int maxSpawnRate, int bucket, int buckets)
        {
            var scan = new Scan();
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
}
