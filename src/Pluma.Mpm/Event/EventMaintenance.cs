using System.Collections.Generic;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Event;

/// <summary>
/// event's perform_idle_server_maintenance (server/mpm/event/event.c), as a pure function of the
/// scoreboard summaries and the retained <see cref="MaintenanceState"/>. Where it differs from
/// worker's: every slot of the scoreboard may take a child (a slot is free when no process has
/// it), children stopping to fill the scoreboard are not stopped, MaxRequestWorkers counts the
/// active threads of all buckets, and no more children start than MaxDaemons allows.
/// </summary>
public static class EventMaintenance
{
    /// <summary>server_main_loop's call: one tick per listener bucket over the whole scoreboard.</summary>
    public static IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, EventSettings settings, MaintenanceState state, int buckets) =>
        ThreadedMaintenance.EachBucket(board, settings, state, buckets, PerformIdleServerMaintenance);

    /// <summary>
    /// Runs one tick for listener bucket <paramref name="bucket"/> of <paramref name="buckets"/>
    /// (Apache runs it once per bucket, with the spare-thread limits divided by the bucket
    /// count). <paramref name="slots"/> has ServerLimit entries.
    /// </summary>
    public static MaintenanceDecision PerformIdleServerMaintenance(EventSettings settings, ReadOnlySpan<SlotSummary> slots, MaintenanceState state, int bucket = 0, int buckets = 1)
    {
        int maxDaemons = settings.MaxDaemons;
        int rate = state.GetSpawnRate(bucket);
        Scan scan = Scan.Of(settings, slots, rate, bucket);
        int idle = scan.Idle;
        List<int> free = scan.Free;
        var messages = new List<MaintenanceMessage>();
        bool kill = false;
        int[] spawn = [];
        if (idle > settings.MaxSpareThreads / buckets)
        {
            // No kill while the process count is above the active limit or at ServerLimit:
            // children stopping are still filling the scoreboard.
            if (scan.TotalDaemons <= maxDaemons && scan.TotalDaemons < settings.ServerLimit)
            {
                kill = true;
                rate = 1;
            }
        }
        else if (idle < settings.MinSpareThreads / buckets)
        {
            if (scan.ActiveThreads >= settings.MaxRequestWorkers)
            {
                ThreadedMaintenance.ReportMaxRequestWorkers(idle, state, messages,
                    reached: "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
                    near: "AH10159: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting");
                rate = 1;
            }
            else if (free.Count == 0)
            {
                messages.Add(new(LogLevel.Error, "AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit."));
                rate = 1;
            }
            else
            {
                int n = Math.Min(Math.Min(free.Count, rate), Math.Max(0, maxDaemons - scan.ActiveDaemons));
                if (n == 0)
                {
                    rate = 1;
                }
                else
                {
                    if (rate >= 8)
                    {
                        messages.Add(new(LogLevel.Info,
                            $"AH00486: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning {n} children, there are around {idle} idle threads, {scan.ActiveDaemons} active children, and {scan.TotalDaemons} children that are shutting down"));
                    }

                    spawn = free.GetRange(0, n).ToArray();
                    if (state.HoldOff > 0)
                    {
                        state.HoldOff--;
                    }
                    else if (rate < MpmDefaults.MaxSpawnRate / buckets)
                    {
                        rate *= 2;
                    }
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

        /// <summary>Processes that are not stopping (active_daemons).</summary>
        public int ActiveDaemons { get; private set; }

        /// <summary>Processes, stopping or not (total_daemons).</summary>
        public int TotalDaemons { get; private set; }

        /// <summary>Slots a new child may start in (no process has them), at most the spawn rate.</summary>
        public List<int> Free { get; } = [];

        /// <summary>
        /// Every slot of the scoreboard is looked at (old generations may hold any of them).
        /// With several listener buckets only the idle threads of <paramref name="bucket"/>'s
        /// children count; a child's bucket is the one it was started for, whatever its slot.
        /// </summary>
        public static Scan Of(EventSettings settings, ReadOnlySpan<SlotSummary> slots, int spawnRate, int bucket)
        {
            var scan = new Scan();
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
    }
}
