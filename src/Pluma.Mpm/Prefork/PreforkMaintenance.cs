using System.Collections.Generic;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>
/// prefork's perform_idle_server_maintenance (server/mpm/prefork/prefork.c), as a pure function
/// of the scoreboard summaries and the retained <see cref="MaintenanceState"/>. Where it differs
/// from the threaded MPMs': it counts idle processes against Min/MaxSpareServers, runs once for
/// all listener buckets (which take turns in losing a child), and has no "near the limit" line.
/// </summary>
public static class PreforkMaintenance
{
    /// <summary>
    /// server_main_loop's call: one tick for all buckets over the first MaxDaemons slots; a new
    /// child's bucket is its slot modulo the bucket count.
    /// </summary>
    public static IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, PreforkSettings settings, MaintenanceState state)
    {
        SlotSummary[] slots = SlotCounter.ReadProcesses(board, Math.Min(settings.MaxDaemons, board.ServerLimit));
        yield return (PerformIdleServerMaintenance(settings, slots, state), null);
    }

    /// <summary>Runs one tick over the first MaxDaemons slots (ap_daemons_limit, which is MaxRequestWorkers for prefork).</summary>
    public static MaintenanceDecision PerformIdleServerMaintenance(PreforkSettings settings, ReadOnlySpan<SlotSummary> slots, MaintenanceState state)
    {
        int scan = Math.Min(slots.Length, settings.MaxDaemons);
        int idle = 0, total = 0;
        var free = new List<int>();
        for (int i = 0; i < scan; i++)
        {
            SlotSummary s = slots[i];
            if (!s.HasProcess)
            {
                if (free.Count < state.SpawnRate)
                {
                    free.Add(i);
                }
            }
            else
            {
                total++;
                idle += s.IdleThreads;
            }
        }

        var messages = new List<MaintenanceMessage>();
        bool kill = false;
        int[] spawn = [];
        int killBucket = 0;
        if (idle > settings.MaxSpareServers)
        {
            // With several listener buckets the buckets take turns in losing a child.
            kill = true;
            killBucket = state.LastKillBucket = (state.LastKillBucket + 1) % Math.Max(1, settings.ListenBuckets);
            state.SpawnRate = 1;
        }
        else if (idle < settings.MinSpareServers)
        {
            if (free.Count == 0)
            {
                if (!state.MaxWorkersReported)
                {
                    messages.Add(new(LogLevel.Error, "AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting"));
                    state.MaxWorkersReported = true;
                }

                state.SpawnRate = 1;
            }
            else
            {
                if (state.SpawnRate >= 8)
                {
                    messages.Add(new(LogLevel.Info,
                        $"AH00162: server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning {free.Count} children, there are {idle} idle, and {total} total children"));
                }

                spawn = free.ToArray();
                if (state.HoldOff > 0)
                {
                    state.HoldOff--;
                }
                else if (state.SpawnRate < MpmDefaults.MaxSpawnRate)
                {
                    state.SpawnRate *= 2;
                }
            }
        }
        else
        {
            state.SpawnRate = 1;
        }

        return new MaintenanceDecision(spawn, kill, messages, idle, killBucket);
    }
}
