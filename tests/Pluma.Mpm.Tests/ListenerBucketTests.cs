using System.Collections.Generic;
using System.Linq;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// ListenCoresBucketsRatio arithmetic (server/listen.c, ap_duplicate_listeners; each MPM's
/// perform_idle_server_maintenance, called per bucket from server_main_loop): the bucket
/// count, the run-time clamps for B buckets, and maintenance per bucket with its limits
/// divided by B.
/// </summary>
public sealed class ListenerBucketTests
{
    [Theory]
    [InlineData(1, 2, true, 2)]
    [InlineData(2, 2, true, 1)]
    [InlineData(3, 2, true, 1)]   // at least one bucket
    [InlineData(2, 8, true, 4)]
    [InlineData(3, 8, true, 2)]   // integer division
    [InlineData(1, 8, false, 1)]  // no SO_REUSEPORT: the ratio is ignored (AH02820)
    [InlineData(0, 8, true, 1)]   // not configured
    public void BucketsAreOnlineCoresDividedByTheRatio(int ratio, int cores, bool reusePort, int buckets)
    {
        Assert.Equal(buckets, ListenerBuckets.Count(ratio, cores, reusePort));
    }

    [Fact]
    public void ThreadedMpmsGetOneChildAndOneThreadOfMarginPerBucket()
    {
        var two = (WorkerSettings)WorkerSettings.Debian.AdjustForRun(2);
        Assert.Equal(2, two.ListenBuckets);
        Assert.Equal((25 * 1) + 2, two.MinSpareThreads);            // TPC*(B-1)+B
        Assert.Equal(27 + (26 * 2), two.MaxSpareThreads);           // Min + (TPC+1)*B
        Assert.Equal(2, two.StartServers);
        Assert.Equal(6, two.MaxDaemons);

        var four = (EventSettings)EventSettings.Debian.AdjustForRun(4);
        Assert.Equal((25 * 3) + 4, four.MinSpareThreads);
        Assert.Equal(79 + (26 * 4), four.MaxSpareThreads);
        Assert.Equal(4, four.StartServers);

        // One child's worth of MaxRequestWorkers still gives every bucket a child.
        var small = (WorkerSettings)(WorkerSettings.Debian with { MaxRequestWorkers = 25, StartServers = 1 }).AdjustForRun(2);
        Assert.Equal(2, small.MaxDaemons);
        Assert.Equal(2, small.StartServers);

        // One bucket: the usual silent adjustments only.
        var one = (WorkerSettings)WorkerSettings.Debian.AdjustForRun();
        Assert.Equal((1, 25, 75, 2), (one.ListenBuckets, one.MinSpareThreads, one.MaxSpareThreads, one.StartServers));
    }

    [Fact]
    public void PreforkGetsOneChildPerBucket()
    {
        var debian = (PreforkSettings)PreforkSettings.Debian.AdjustForRun(2);
        Assert.Equal((5, 5, 10, 150), (debian.StartServers, debian.MinSpareServers, debian.MaxSpareServers, debian.MaxRequestWorkers));

        var eight = (PreforkSettings)PreforkSettings.Debian.AdjustForRun(8);
        Assert.Equal((8, 8, 16), (eight.StartServers, eight.MinSpareServers, eight.MaxSpareServers));

        var tiny = (PreforkSettings)(PreforkSettings.Debian with { MaxRequestWorkers = 1, StartServers = 1, MinSpareServers = 1, MaxSpareServers = 1 }).AdjustForRun(2);
        Assert.Equal((2, 2, 2, 4), (tiny.MaxRequestWorkers, tiny.StartServers, tiny.MinSpareServers, tiny.MaxSpareServers));
    }

    [Fact]
    public void EventCountsIdleThreadsPerBucketAgainstLimitsDividedByTheBucketCount()
    {
        var s = (EventSettings)EventSettings.Debian.AdjustForRun(2); // Min 27, Max 79: 13 and 39 per bucket
        var slots = new SlotSummary[16];
        slots[0] = new SlotSummary(true, 25, 25, false, Bucket: 0);  // bucket 0: all idle
        slots[1] = new SlotSummary(true, 0, 25, false, Bucket: 1);   // bucket 1: all busy
        var state = new MaintenanceState();
        state.SetBuckets(2);

        MaintenanceDecision b0 = EventMaintenance.PerformIdleServerMaintenance(s, slots, state, 0, 2);
        Assert.Empty(b0.SpawnSlots);
        Assert.Equal(25, b0.IdleCount);

        MaintenanceDecision b1 = EventMaintenance.PerformIdleServerMaintenance(s, slots, state, 1, 2);
        Assert.Equal(0, b1.IdleCount);
        Assert.Equal([2], b1.SpawnSlots);
        Assert.Equal((1, 2), (state.GetSpawnRate(0), state.GetSpawnRate(1)));

        // 50 idle threads in bucket 0 are more than 79 / 2: one of its children is stopped.
        slots[2] = new SlotSummary(true, 25, 25, false, Bucket: 0);
        MaintenanceDecision kill = EventMaintenance.PerformIdleServerMaintenance(s, slots, state, 0, 2);
        Assert.True(kill.KillOne);
        Assert.Equal(0, kill.KillBucket);
    }

    [Fact]
    public void WorkerBucketsOwnTheSlotsCongruentToTheirNumber()
    {
        var s = (WorkerSettings)WorkerSettings.Debian.AdjustForRun(2);
        var slots = new SlotSummary[16];
        slots[0] = new SlotSummary(true, 0, 25, false, 25, 25);  // bucket 0 busy
        slots[1] = new SlotSummary(true, 25, 25, false, 25, 25); // bucket 1 idle
        slots[3] = new SlotSummary(true, 25, 25, false, 25, 25); // bucket 1 idle
        var state = new MaintenanceState { SpawnRate = 2 };
        state.SetBuckets(2);

        MaintenanceDecision b0 = WorkerMaintenance.PerformIdleServerMaintenance(s, slots, state, 0, 2);
        Assert.Equal([2, 4], b0.SpawnSlots);   // even slots only

        MaintenanceDecision b1 = WorkerMaintenance.PerformIdleServerMaintenance(s, slots, state, 1, 2);
        Assert.True(b1.KillOne);               // 50 idle > 79 / 2
        Assert.Equal(1, b1.KillBucket);
        Assert.Empty(b1.SpawnSlots);
    }

    [Fact]
    public void SpawnRateDoublesUpToThirtyTwoDividedByTheBucketCount()
    {
        // worker caps at ceil(32 / B); event doubles while below 32 / B (so it may pass it).
        Assert.Equal([1, 2, 4, 8, 16, 16, 16], Rates(new WorkerSettings(), 2, WorkerMaintenance.PerformIdleServerMaintenance));
        Assert.Equal([1, 2, 4, 8, 11, 11, 11], Rates(new WorkerSettings(), 3, WorkerMaintenance.PerformIdleServerMaintenance));
        Assert.Equal([1, 2, 4, 8, 16, 16, 16], Rates(new EventSettings(), 2, EventMaintenance.PerformIdleServerMaintenance));
        Assert.Equal([1, 2, 4, 8, 16, 16, 16], Rates(new EventSettings(), 3, EventMaintenance.PerformIdleServerMaintenance));
    }

    [Fact]
    public void PreforkStopsChildrenOfEachBucketInTurn()
    {
        var s = (PreforkSettings)PreforkSettings.Debian.AdjustForRun(2);
        var idle = Enumerable.Repeat(new SlotSummary(true, 1, 1, false), 12).ToArray();
        var state = new MaintenanceState();
        int[] buckets = [.. Enumerable.Range(0, 3).Select(_ => PreforkMaintenance.PerformIdleServerMaintenance(s, idle, state).KillBucket)];
        Assert.Equal([0, 1, 0], buckets);
    }

    [Fact]
    public void NewBucketsStartAtTheHighestSpawnRateSoFar()
    {
        var state = new MaintenanceState { SpawnRate = 8 };
        state.SetBuckets(3);
        Assert.Equal([8, 8, 8], Enumerable.Range(0, 3).Select(state.GetSpawnRate));
        state.ResetSpawnRates();
        Assert.Equal([1, 1, 1], Enumerable.Range(0, 3).Select(state.GetSpawnRate));
    }

    /// <summary>The children bucket 0 starts in each of seven ticks with every thread busy.</summary>
    private static List<int> Rates<T>(T template, int buckets, ThreadedMaintenance.Tick<T> maintenance)
        where T : ThreadedMpmSettings
    {
        var s = (T)(template with { ServerLimit = 2000, MaxRequestWorkers = 50000 }).AdjustForRun(buckets);
        var state = new MaintenanceState();
        state.SetBuckets(buckets);
        var slots = new SlotSummary[2000];
        int used = 0;
        var rates = new List<int>();
        for (int tick = 0; tick < 7; tick++)
        {
            MaintenanceDecision d = maintenance(s, slots, state, 0, buckets);
            foreach (int slot in d.SpawnSlots)
            {
                slots[slot] = new SlotSummary(true, 0, 25, false, 25, 25, Bucket: 0);
                used++;
            }

            rates.Add(d.SpawnSlots.Count);
        }

        Assert.Equal(used, rates.Sum());
        return rates;
    }
}
