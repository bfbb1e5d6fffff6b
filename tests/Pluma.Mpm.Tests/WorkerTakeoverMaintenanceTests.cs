using System.Linq;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Scoreboard;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// worker's free-slot rule (server/mpm/worker/worker.c, perform_idle_server_maintenance): a slot is free when it has a DEAD thread and no
/// process or a stopping one, fully dead slots first; event keeps "free = no process".
/// </summary>
public sealed class WorkerTakeoverMaintenanceTests
{
    // One child of 4 threads at most (MaxRequestWorkers 4): the only slot is 0.
    private static readonly WorkerSettings OneChildWorker =
        (WorkerSettings)(new WorkerSettings { ThreadsPerChild = 4, MaxRequestWorkers = 4, StartServers = 1, MinSpareThreads = 1, MaxSpareThreads = 8 }).AdjustForRun();

    /// <summary>An old child stopping with one request in flight: 1 thread busy (W), 3 exited (DEAD).</summary>
    private static SlotSummary StoppingWithOneRequest()
    {
        byte[] states = [ScoreState.Dead, ScoreState.BusyWrite, ScoreState.Dead, ScoreState.Dead];
        return SlotCounter.Count(states, hasProcess: true, quiescing: true, notAccepting: false, currentGeneration: false);
    }

    [Fact]
    public void AStoppingChildWithDeadThreadsLeavesItsSlotFreeForANewChild()
    {
        var state = new MaintenanceState();
        MaintenanceDecision d = WorkerMaintenance.PerformIdleServerMaintenance(OneChildWorker, [StoppingWithOneRequest()], state);
        Assert.Equal([0], d.SpawnSlots);
        Assert.Empty(d.Messages);
        Assert.Equal(0, d.IdleCount);
    }

    [Fact]
    public void AStoppingChildWithoutDeadThreadsKeepsItsSlot()
    {
        byte[] states = [ScoreState.BusyWrite, ScoreState.Graceful, ScoreState.Graceful, ScoreState.BusyRead];
        SlotSummary allHeld = SlotCounter.Count(states, true, true, false, false);
        MaintenanceDecision d = WorkerMaintenance.PerformIdleServerMaintenance(OneChildWorker, [allHeld], new MaintenanceState());
        Assert.Empty(d.SpawnSlots);
        // 2 active threads of MaxRequestWorkers 4: the scoreboard is what is full.
        Assert.Equal(["AH00288: scoreboard is full, not at MaxRequestWorkers"], d.Messages.Select(m => m.Text));
    }

    [Fact]
    public void ARunningChildWithDeadThreadsIsNotTakenOver()
    {
        // A current child still starting its threads (DEAD entries) is idle, not free.
        byte[] states = [ScoreState.Ready, ScoreState.Dead, ScoreState.Dead, ScoreState.Dead];
        SlotSummary starting = SlotCounter.Count(states, true, false, false, true);
        MaintenanceDecision d = WorkerMaintenance.PerformIdleServerMaintenance(OneChildWorker, [starting], new MaintenanceState());
        Assert.Empty(d.SpawnSlots);
        Assert.Equal(4, d.IdleCount);
    }

    [Fact]
    public void FullyDeadSlotsGoBeforeSlotsStillFinishingRequests()
    {
        var s = (WorkerSettings)WorkerSettings.Debian.AdjustForRun(); // 6 slots of 25 threads
        byte[] oneBusy = [.. Enumerable.Repeat(ScoreState.Dead, 24), ScoreState.BusyWrite];
        byte[] allGraceful = [.. Enumerable.Repeat(ScoreState.Graceful, 5), .. Enumerable.Repeat(ScoreState.Dead, 20)];
        SlotSummary[] slots =
        [
            new(true, 0, 25, false, 25, 25),                 // 0: a current child, every thread busy
            SlotCounter.Count(oneBusy, true, true, false, false),      // 1: stopping, one request left
            SlotSummary.Free,                                 // 2: empty
            SlotCounter.Count(allGraceful, true, true, false, false),  // 3: stopping, nothing running
            SlotSummary.Free,                                 // 4: empty
            SlotSummary.Free,                                 // 5: empty
        ];

        // Spawn rate 2: slots 2 and 3 (fully dead) are chosen; slot 1 waits at the back.
        MaintenanceDecision two = WorkerMaintenance.PerformIdleServerMaintenance(s, slots, new MaintenanceState { SpawnRate = 2 });
        Assert.Equal([2, 3], two.SpawnSlots);

        // Spawn rate 8: every free slot, the one still finishing a request last.
        MaintenanceDecision all = WorkerMaintenance.PerformIdleServerMaintenance(s, slots, new MaintenanceState { SpawnRate = 8 });
        Assert.Equal([2, 3, 4, 5, 1], all.SpawnSlots);
        Assert.Equal(
            ["AH00289: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning 5 children, there are around 0 idle threads, and 5 total children"],
            all.Messages.Select(m => m.Text));
    }

    [Fact]
    public void MaxRequestWorkersIsOnlyReportedWhenNoSlotIsFree()
    {
        // Every thread of MaxRequestWorkers is active, yet a stopping child has dead threads:
        // worker takes its slot over instead of reporting AH00286.
        var s = (WorkerSettings)(new WorkerSettings { ThreadsPerChild = 4, MaxRequestWorkers = 8, MinSpareThreads = 1, MaxSpareThreads = 8 }).AdjustForRun();
        byte[] busy = [ScoreState.BusyWrite, ScoreState.BusyWrite, ScoreState.BusyWrite, ScoreState.BusyWrite];
        byte[] stoppingBusy = [ScoreState.BusyWrite, ScoreState.BusyWrite, ScoreState.BusyWrite, ScoreState.Dead];
        SlotSummary[] slots = [SlotCounter.Count(busy, true, false, false, true), SlotCounter.Count(stoppingBusy, true, true, false, false)];
        var state = new MaintenanceState();
        MaintenanceDecision d = WorkerMaintenance.PerformIdleServerMaintenance(s, slots, state);
        Assert.Equal([1], d.SpawnSlots);
        Assert.Empty(d.Messages);
        Assert.False(state.MaxWorkersReported);
    }

    [Fact]
    public void EventKeepsItsOwnRuleAndNeverStartsAChildInAnOccupiedSlot()
    {
        // The same scoreboard under event: the stopping child's slot is not free (event has
        // ServerLimit headroom for that), so with ServerLimit 1 nothing can start.
        var e = (EventSettings)(new EventSettings { ServerLimit = 1, ThreadsPerChild = 4, MaxRequestWorkers = 4, StartServers = 1, MinSpareThreads = 1, MaxSpareThreads = 8 }).AdjustForRun();
        MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(e, [StoppingWithOneRequest()], new MaintenanceState());
        Assert.Empty(d.SpawnSlots);
        Assert.Equal(["AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit."], d.Messages.Select(m => m.Text));

        // With headroom event uses the next empty slot, never the occupied one.
        var roomy = (EventSettings)(e with { ServerLimit = 2 }).AdjustForRun();
        MaintenanceDecision next = EventMaintenance.PerformIdleServerMaintenance(roomy, [StoppingWithOneRequest(), SlotSummary.Free], new MaintenanceState());
        Assert.Equal([1], next.SpawnSlots);
    }
}
