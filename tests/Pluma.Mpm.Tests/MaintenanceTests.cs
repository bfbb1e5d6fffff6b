using System.Collections.Generic;
using System.Linq;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Scoreboard;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>Replays of the situations in the reference (2.2, 2.3), one maintenance tick at a time.</summary>
public sealed class MaintenanceTests
{
    private static readonly EventSettings EventMrw400 = (EventSettings)(EventSettings.Debian with { MaxRequestWorkers = 400 }).AdjustForRun();

    /// <summary>A scoreboard where the first <paramref name="busyThreads"/> threads of <paramref name="processes"/> children are busy.</summary>
    private static SlotSummary[] Threaded(int serverLimit, int processes, int busyThreads, int tpc = 25)
    {
        var slots = new SlotSummary[serverLimit];
        for (int i = 0; i < processes; i++)
        {
            int busy = Math.Clamp(busyThreads - (i * tpc), 0, tpc);
            // Idle READY threads count both idle and active (READY <= st < GRACEFUL).
            slots[i] = new SlotSummary(true, tpc - busy, tpc, false);
        }

        return slots;
    }

    [Fact]
    public void EventUnderSlowClientsSpawnsOneTwoFourThenSevenAndReportsBusyAndNearMax()
    {
        var state = new MaintenanceState();
        int processes = 2;
        var spawned = new List<int>();
        var messages = new List<string>();
        for (int tick = 0; tick < 6; tick++)
        {
            MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(EventMrw400, Threaded(16, processes, 380), state);
            spawned.Add(d.SpawnSlots.Count);
            messages.AddRange(d.Messages.Select(m => m.Text));
            processes += d.SpawnSlots.Count;
        }

        Assert.Equal([1, 2, 4, 7, 0, 0], spawned);
        Assert.Equal(
        [
            "AH00486: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning 7 children, there are around 0 idle threads, 9 active children, and 9 children that are shutting down",
            "AH10159: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting",
        ], messages);
    }

    [Fact]
    public void EventSpawnsIntoTheLowestFreeSlots()
    {
        var state = new MaintenanceState { SpawnRate = 4 };
        SlotSummary[] slots = Threaded(16, 3, 75);
        slots[1] = SlotSummary.Free;
        MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(EventMrw400, slots, state);
        Assert.Equal([1, 3, 4, 5], d.SpawnSlots);
        Assert.Equal(8, state.SpawnRate);
    }

    [Fact]
    public void EventReportsMaxRequestWorkersOnceWhenNoThreadIsIdle()
    {
        var s = (EventSettings)(EventSettings.Debian with { MaxRequestWorkers = 50, StartServers = 2 }).AdjustForRun();
        var state = new MaintenanceState();
        MaintenanceDecision first = EventMaintenance.PerformIdleServerMaintenance(s, Threaded(16, 2, 50), state);
        MaintenanceDecision second = EventMaintenance.PerformIdleServerMaintenance(s, Threaded(16, 2, 50), state);
        Assert.Equal([new MaintenanceMessage(LogLevel.Error, "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting")], first.Messages);
        Assert.Empty(second.Messages);
        Assert.Empty(first.SpawnSlots);
    }

    [Fact]
    public void EventWithFullScoreboardBelowMaxRequestWorkersComplainsEverySecond()
    {
        // ServerLimit 2 with MaxRequestWorkers 1000: only the process limit is lowered
        // (server/mpm/event/event.c, event_check_config), so maintenance finds the scoreboard full first.
        var s = (EventSettings)(EventSettings.Debian with { ServerLimit = 2, MaxRequestWorkers = 1000 }).CheckConfig(true).Settings.AdjustForRun();
        var state = new MaintenanceState();
        for (int tick = 0; tick < 3; tick++)
        {
            MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(s, Threaded(2, 2, 50), state);
            Assert.Equal(["AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit."], d.Messages.Select(m => m.Text));
        }
    }

    [Fact]
    public void IdleThreadsAboveMaxSpareRetireOneChildPerSecondDownToTheBand()
    {
        var s = (EventSettings)EventSettings.Debian.AdjustForRun();
        var state = new MaintenanceState { SpawnRate = 8 };
        int processes = 6;
        var kills = new List<bool>();
        for (int tick = 0; tick < 5; tick++)
        {
            MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(s, Threaded(16, processes, 0), state);
            kills.Add(d.KillOne);
            if (d.KillOne)
            {
                processes--;
            }
        }

        Assert.Equal([true, true, true, false, false], kills);
        Assert.Equal(3, processes);
        Assert.Equal(1, state.SpawnRate);
    }

    [Fact]
    public void EventKeepsStoppingChildrenFromFillingTheScoreboard()
    {
        var s = (EventSettings)(EventSettings.Debian with { ServerLimit = 8 }).AdjustForRun();
        SlotSummary[] slots = Threaded(8, 7, 0);
        // One old child is still stopping: 7 processes > MaxDaemons 6, so no further kill.
        slots[6] = new SlotSummary(true, 0, 3, true);
        MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(s, slots, new MaintenanceState());
        Assert.False(d.KillOne);
    }

    [Fact]
    public void HoldOffAfterGracefulRestartKeepsTheSpawnRateAtOne()
    {
        var state = new MaintenanceState { HoldOff = MpmDefaults.HoldOffAfterGracefulRestart };
        int processes = 1;
        var spawned = new List<int>();
        for (int tick = 0; tick < 12; tick++)
        {
            MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(EventMrw400, Threaded(16, processes, 1000), state);
            spawned.Add(d.SpawnSlots.Count);
            processes += d.SpawnSlots.Count;
        }

        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2], spawned);
    }

    [Fact]
    public void SpawnRateDoublesUpToThirtyTwo()
    {
        var s = (EventSettings)(EventSettings.Debian with { ServerLimit = 200, MaxRequestWorkers = 5000 }).AdjustForRun();
        var state = new MaintenanceState();
        int processes = 1;
        var rates = new List<int>();
        for (int tick = 0; tick < 8; tick++)
        {
            MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance(s, Threaded(200, processes, 100000), state);
            processes += d.SpawnSlots.Count;
            rates.Add(d.SpawnSlots.Count);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 32, 32], rates);
    }

    [Fact]
    public void BalancedLoadResetsTheSpawnRate()
    {
        var state = new MaintenanceState { SpawnRate = 16 };
        MaintenanceDecision d = EventMaintenance.PerformIdleServerMaintenance((EventSettings)EventSettings.Debian.AdjustForRun(), Threaded(16, 2, 0), state);
        Assert.Empty(d.SpawnSlots);
        Assert.False(d.KillOne);
        Assert.Equal(1, state.SpawnRate);
    }

    [Fact]
    public void WorkerUsesItsOwnMessages()
    {
        var s = (WorkerSettings)(WorkerSettings.Debian with { MaxRequestWorkers = 400 }).AdjustForRun();
        var state = new MaintenanceState { SpawnRate = 8 };
        MaintenanceDecision busy = WorkerMaintenance.PerformIdleServerMaintenance(s, Threaded(16, 2, 1000), state);
        // "total children" is worker's total_non_dead: every scanned slot without a GRACEFUL
        // thread, the 8 empty ones it picked included (slots 0-9, then the scan stops).
        Assert.Equal(["AH00289: server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning 8 children, there are around 0 idle threads, and 10 total children"], busy.Messages.Select(m => m.Text));
        MaintenanceDecision full = WorkerMaintenance.PerformIdleServerMaintenance(s, Threaded(16, 16, 1000), new MaintenanceState());
        Assert.Equal(["AH00286: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting"], full.Messages.Select(m => m.Text));
        // Every slot taken, partly by an old child that is finishing but still has all its
        // threads (none DEAD, so nothing to take over): below MaxRequestWorkers.
        var small = (WorkerSettings)(WorkerSettings.Debian with { MaxRequestWorkers = 50 }).AdjustForRun();
        SlotSummary[] slots = [new(true, 0, 25, false, 25, 25), new(true, 0, 3, true, 25, 25)];
        MaintenanceDecision scoreboardFull = WorkerMaintenance.PerformIdleServerMaintenance(small, slots, new MaintenanceState());
        Assert.Equal(["AH00288: scoreboard is full, not at MaxRequestWorkers"], scoreboardFull.Messages.Select(m => m.Text));
    }

    [Fact]
    public void PreforkUnderSlowClientsSpawnsEightSixteenThirtyTwoWithBusyMessages()
    {
        var s = (PreforkSettings)PreforkSettings.Debian.AdjustForRun();
        var state = new MaintenanceState();
        int processes = 5;
        var messages = new List<string>();
        for (int tick = 0; tick < 6; tick++)
        {
            var slots = new SlotSummary[150];
            for (int i = 0; i < processes; i++)
            {
                // 60 slow clients hold the first 60 processes busy.
                slots[i] = i < 60 ? new SlotSummary(true, 0, 1, false) : new SlotSummary(true, 1, 1, false);
            }

            MaintenanceDecision d = PreforkMaintenance.PerformIdleServerMaintenance(s, slots, state);
            messages.AddRange(d.Messages.Select(m => m.Text));
            processes += d.SpawnSlots.Count;
        }

        Assert.Equal(
        [
            "AH00162: server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 8 children, there are 0 idle, and 12 total children",
            "AH00162: server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 16 children, there are 0 idle, and 20 total children",
            "AH00162: server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 32 children, there are 0 idle, and 36 total children",
        ], messages);
        Assert.Equal(68, processes);
    }

    [Fact]
    public void PreforkReportsMaxRequestWorkersOnceAndRetiresOneIdleChildPerTick()
    {
        var s = (PreforkSettings)(PreforkSettings.Debian with { MaxRequestWorkers = 3 }).AdjustForRun();
        var state = new MaintenanceState();
        SlotSummary[] allBusy = [new(true, 0, 1, false), new(true, 0, 1, false), new(true, 0, 1, false)];
        MaintenanceDecision first = PreforkMaintenance.PerformIdleServerMaintenance(s, allBusy, state);
        MaintenanceDecision second = PreforkMaintenance.PerformIdleServerMaintenance(s, allBusy, state);
        Assert.Equal(["AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting"], first.Messages.Select(m => m.Text));
        Assert.Empty(second.Messages);

        var idle = Enumerable.Repeat(new SlotSummary(true, 1, 1, false), 12).ToArray();
        MaintenanceDecision kill = PreforkMaintenance.PerformIdleServerMaintenance((PreforkSettings)PreforkSettings.Debian.AdjustForRun(), idle, state);
        Assert.True(kill.KillOne);
        Assert.Empty(kill.SpawnSlots);
    }

    [Fact]
    public void StartingThreadsCountAsIdleButOnlyForCurrentAcceptingChildren()
    {
        byte[] states = [ScoreState.Starting, ScoreState.Ready, ScoreState.BusyRead, ScoreState.BusyKeepAlive, ScoreState.Graceful, ScoreState.Dead];
        Assert.Equal(new SlotSummary(true, 0, 3, true, 5, 4), SlotCounter.Count(states, true, true, false, true));
        Assert.Equal(0, SlotCounter.Count(states, true, false, true, true).IdleThreads);
        Assert.Equal(0, SlotCounter.Count(states, true, false, false, false).IdleThreads);
        Assert.Equal(new SlotSummary(true, 3, 3, false, OccupiedThreads: 5, RunningThreads: 4), SlotCounter.Count(states, true, false, false, true));
        // Without a process nothing is idle or active, but the entries still say who holds them.
        Assert.Equal(new SlotSummary(false, 0, 0, false, OccupiedThreads: 5, RunningThreads: 4), SlotCounter.Count(states, false, false, false, true));
        Assert.Equal(SlotSummary.Free, SlotCounter.Count([ScoreState.Dead, ScoreState.Dead], false, false, false, true));
        Assert.Equal(1, SlotCounter.CountPrefork(ScoreState.Starting, true).IdleThreads);
        Assert.Equal(0, SlotCounter.CountPrefork(ScoreState.BusyWrite, true).IdleThreads);
    }
}
