using System.Collections.Generic;
using Pluma.Connections.Diagnostics;

namespace Pluma.Mpm.Common;

/// <summary>
/// perform_idle_server_maintenance of event and worker (server/mpm/event/event.c and server/mpm/worker/worker.c perform_idle_server_maintenance), as a pure function of
/// the scoreboard summaries and the retained <see cref="MaintenanceState"/>.
/// </summary>
public static class ThreadedMaintenance
{
    /// <summary>
    /// Runs one tick for listener bucket <paramref name="bucket"/> of <paramref name="buckets"/>
    /// (Apache runs it once per bucket, with the spare-thread limits divided by the bucket
    /// count). <paramref name="slots"/> has ServerLimit entries (event) or at least MaxDaemons (worker).
    /// </summary>
    public static MaintenanceDecision PerformIdleServerMaintenance(ThreadedMpmSettings settings, ReadOnlySpan<SlotSummary> slots, MaintenanceState state, int bucket = 0, int buckets = 1)
    {
        bool isEvent = settings.MaintenanceRules == ThreadedMaintenanceRules.Event;
        int maxDaemons = settings.MaxDaemons;
        int rate = state.GetSpawnRate(bucket);
        // worker: ceil(32 / B) per bucket, doubling capped there; event doubles while below 32 / B.
        int workerMaxRate = Math.Max(1, (MpmDefaults.MaxSpawnRate + buckets - 1) / buckets);
        ThreadedScan scan = isEvent
            ? ThreadedScan.Event(settings, slots, rate, bucket)
            : ThreadedScan.Worker(settings, slots, rate, workerMaxRate, bucket, buckets);
        int idle = scan.Idle;
        List<int> free = scan.Free;
        var messages = new List<MaintenanceMessage>();
        bool kill = false;
        int[] spawn = [];
        if (idle > settings.MaxSpareThreads / buckets)
        {
            // event keeps stopping children from filling the scoreboard: no kill while the
            // process count is above the active limit or at ServerLimit.
            if (!isEvent || (scan.TotalDaemons <= maxDaemons && scan.TotalDaemons < settings.ServerLimit))
            {
                kill = true;
                rate = 1;
            }
        }
        else if (idle < settings.MinSpareThreads / buckets)
        {
            // event looks at MaxRequestWorkers (all buckets) first; worker at its bucket's share,
            // and only when no slot is free (a slot still finishing old requests is free for it).
            bool atMax = isEvent
                ? scan.ActiveThreads >= settings.MaxRequestWorkers
                : free.Count == 0 && scan.ActiveThreads >= settings.MaxRequestWorkers / buckets;
            if (atMax)
            {
                ReportMaxRequestWorkers(isEvent, idle, state, messages);
                rate = 1;
            }
            else if (free.Count == 0)
            {
                messages.Add(new(LogLevel.Error, isEvent
                    ? "AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit."
                    : "AH00288: scoreboard is full, not at MaxRequestWorkers"));
                rate = 1;
            }
            else
            {
                int n = Math.Min(free.Count, rate);
                if (isEvent)
                {
                    n = Math.Min(n, Math.Max(0, maxDaemons - scan.ActiveDaemons));
                }

                if (n == 0)
                {
                    rate = 1;
                }
                else
                {
                    if (rate >= 8)
                    {
                        messages.Add(new(LogLevel.Info, isEvent
                            ? $"AH00486: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning {n} children, there are around {idle} idle threads, {scan.ActiveDaemons} active children, and {scan.TotalDaemons} children that are shutting down"
                            : $"AH00289: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning {n} children, there are around {idle} idle threads, and {scan.TotalNonDead} total children"));
                    }

                    spawn = free.GetRange(0, n).ToArray();
                    if (state.HoldOff > 0)
                    {
                        state.HoldOff--;
                    }
                    else if (isEvent && rate < MpmDefaults.MaxSpawnRate / buckets)
                    {
                        rate *= 2;
                    }
                    else if (!isEvent && rate < workerMaxRate)
                    {
                        rate = Math.Min(rate * 2, workerMaxRate);
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

    /// <summary>AH00484/AH00286 when no thread is idle, else AH10159/AH00287; each once per run.</summary>
    private static void ReportMaxRequestWorkers(bool isEvent, int idle, MaintenanceState state, List<MaintenanceMessage> messages)
    {
        if (idle == 0)
        {
            if (!state.MaxWorkersReported)
            {
                messages.Add(new(LogLevel.Error, (isEvent ? "AH00484" : "AH00286") + ": server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting"));
                state.MaxWorkersReported = true;
            }
        }
        else if (!state.NearMaxWorkersReported)
        {
            messages.Add(new(LogLevel.Error, (isEvent ? "AH10159" : "AH00287") + ": server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting"));
            state.NearMaxWorkersReported = true;
        }
    }
}
