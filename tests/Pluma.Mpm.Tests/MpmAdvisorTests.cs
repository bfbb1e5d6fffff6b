using System.Collections.Generic;
using System.Linq;
using Pluma.Mpm.Advice;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The MPM advisor's arithmetic on recorded measurements (machines and loads as `pluma -k advise`
/// read them), and the rule that every recommendation passes Pluma's own clamps unchanged.
/// </summary>
public sealed class MpmAdvisorTests
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    /// <summary>Recorded inputs: name, machine, measured children, observed load.</summary>
    public static TheoryData<string> Cases() => new(Recorded.Keys);

    private static readonly Dictionary<string, AdviceInputs> Recorded = new()
    {
        // This machine after `ab -n 20000 -c 30` on Debian's event preset.
        ["two cores, 24 GiB, event after ab -c 30"] = new()
        {
            MemTotalBytes = 24 * GiB,
            MemAvailableBytes = 22 * GiB,
            OnlineCpus = 2,
            MeasuredMpm = "event",
            MeasuredThreadsPerChild = 25,
            ChildrenMeasured = 2,
            ChildPssBytes = 22 * MiB,
            ChildPssMaxBytes = 24 * MiB,
            ParentPssBytes = 18 * MiB,
            LoadSamples = 40,
            PeakBusyWorkers = 12,
            PeakConnections = 30,
            KeepAliveShare = 0,
        },
        // A keep-alive heavy site measured under prefork.
        ["eight cores, 8 GiB, prefork, keep-alive heavy"] = new()
        {
            MemTotalBytes = 8 * GiB,
            MemAvailableBytes = 5 * GiB,
            OnlineCpus = 8,
            MeasuredMpm = "prefork",
            MeasuredThreadsPerChild = 1,
            ChildrenMeasured = 150,
            ChildPssBytes = 14 * MiB,
            ChildPssMaxBytes = 16 * MiB,
            ParentPssBytes = 20 * MiB,
            LoadSamples = 86400,
            PeakBusyWorkers = 40,
            PeakConnections = 400,
            KeepAliveShare = 0.85,
        },
        ["one core, 256 MiB"] = new()
        {
            MemTotalBytes = 256 * MiB,
            MemAvailableBytes = 120 * MiB,
            OnlineCpus = 1,
            MeasuredMpm = "event",
            MeasuredThreadsPerChild = 25,
            ChildrenMeasured = 1,
            ChildPssBytes = 30 * MiB,
            ChildPssMaxBytes = 30 * MiB,
            ParentPssBytes = 16 * MiB,
            LoadSamples = 600,
            PeakBusyWorkers = 20,
            PeakConnections = 50,
            KeepAliveShare = 0.3,
        },
        ["one core, 40 MiB: not one child fits"] = new()
        {
            MemTotalBytes = 40 * MiB,
            MemAvailableBytes = 20 * MiB,
            OnlineCpus = 1,
            MeasuredMpm = "worker",
            MeasuredThreadsPerChild = 25,
            ChildrenMeasured = 1,
            ChildPssBytes = 30 * MiB,
            ChildPssMaxBytes = 30 * MiB,
            ParentPssBytes = 16 * MiB,
            LoadSamples = 60,
            PeakBusyWorkers = 3,
            PeakConnections = 3,
        },
        ["one core, 2 GiB, no load observed yet"] = new()
        {
            MemTotalBytes = 2 * GiB,
            MemAvailableBytes = 1 * GiB,
            OnlineCpus = 1,
            MeasuredMpm = "event",
            MeasuredThreadsPerChild = 25,
            ChildrenMeasured = 2,
            ChildPssBytes = 20 * MiB,
            ChildPssMaxBytes = 20 * MiB,
            ParentPssBytes = 15 * MiB,
        },
        ["32 cores, 64 GiB, 5000 connections"] = new()
        {
            MemTotalBytes = 64 * GiB,
            MemAvailableBytes = 60 * GiB,
            OnlineCpus = 32,
            MeasuredMpm = "worker",
            MeasuredThreadsPerChild = 25,
            ChildrenMeasured = 40,
            ChildPssBytes = 25 * MiB,
            ChildPssMaxBytes = 28 * MiB,
            ParentPssBytes = 30 * MiB,
            LoadSamples = 3600,
            PeakBusyWorkers = 4000,
            PeakConnections = 5000,
            KeepAliveShare = 0.2,
        },
        ["no child measured"] = new()
        {
            MemTotalBytes = 4 * GiB,
            MemAvailableBytes = 3 * GiB,
            OnlineCpus = 4,
            MeasuredMpm = "event",
            MeasuredThreadsPerChild = 25,
            LoadSamples = 10,
            PeakBusyWorkers = 5,
            PeakConnections = 8,
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryRecommendationPassesPlumasClampsUnchanged(string name)
    {
        MpmAdvice advice = MpmAdvisor.Advise(Recorded[name]);
        Assert.Equal(["prefork", "worker", "event"], advice.Recommendations.Select(r => r.Mpm));
        foreach (MpmRecommendation r in advice.Recommendations)
        {
            MpmSettings s = ToSettings(r);
            MpmConfigCheck check = s.CheckConfig(startup: true);
            Assert.True(check.Warnings.Count == 0, $"{name}, {r.Mpm}: " + string.Join("; ", check.Warnings));
            Assert.Equal(s, check.Settings);
            // *_run's silent adjustments (one listener bucket) change nothing either.
            Assert.Equal(s, s.AdjustForRun(1));
            // And a restart of a server started with the compiled limits takes it without AH00501/AH00506
            // whenever the advice did not have to raise them.
            if (r.ServerLimit == (r.Mpm == "prefork" ? MpmDefaults.PreforkServerLimit : MpmDefaults.ThreadedServerLimit))
            {
                MpmSettings running = r.Mpm switch { "prefork" => PreforkSettings.Debian, "worker" => WorkerSettings.Debian, _ => EventSettings.Debian };
                MpmConfigCheck restart = s.CheckConfig(startup: false, running: running);
                Assert.True(restart.Warnings.Count == 0, $"{name}, {r.Mpm} on restart: " + string.Join("; ", restart.Warnings));
            }

            Assert.True(r.MaxRequestWorkers >= 1 && r.StartServers >= 1 && r.MinSpare >= 1 && r.MaxSpare > r.MinSpare);
            Assert.Equal(r.MaxChildren * r.ChildBytes + Recorded[name].ParentPssBytes, r.MemoryBytes);
            Assert.NotEmpty(r.Arithmetic);
        }

        Assert.Contains(advice.Best, advice.Recommendations.Select(r => r.Mpm));
        Assert.False(string.IsNullOrEmpty(advice.Reason));
    }

    [Fact]
    public void ThisMachineAfterAbIsSizedForFourTimesThePeakAndPicksEvent()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["two cores, 24 GiB, event after ab -c 30"]);
        Assert.Equal(120, a.TargetConnections);
        Assert.Empty(a.Notes);
        // Child base: 24 MiB - 25 x 0.25 MiB = 17.75 MiB; an event child of 25 threads is 24 MiB again.
        MpmRecommendation ev = a.For("event");
        Assert.Equal((25, 125, 5, 16, 64), (ev.ThreadsPerChild, ev.MaxRequestWorkers, ev.MaxChildren, ev.ServerLimit, ev.ThreadLimit));
        Assert.Equal(24 * MiB, ev.ChildBytes);
        Assert.Equal((2, 25, 75, 0), (ev.StartServers, ev.MinSpare, ev.MaxSpare, ev.MaxConnectionsPerChild));
        Assert.Equal(375, ev.ConnectionCapacity);
        Assert.Contains("memory = 5 children x 24.0 MiB + parent 18.0 MiB = 138.0 MiB <= budget", string.Join('\n', ev.Arithmetic));
        MpmRecommendation prefork = a.For("prefork");
        Assert.Equal((120, 256, 8, 16, 8), (prefork.MaxRequestWorkers, prefork.ServerLimit, prefork.MinSpare, prefork.MaxSpare, prefork.StartServers));
        Assert.Equal("event", a.Best);
        Assert.All(a.Recommendations, r => Assert.True(r.Fits));
    }

    [Fact]
    public void KeepAliveHeavyLoadGivesEventFewerWorkersThanWorker()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["eight cores, 8 GiB, prefork, keep-alive heavy"]);
        Assert.Equal(1600, a.TargetConnections);
        // event: max(4 x 40 busy, 1600 x 15%, 1600 / 3 parked per worker) = 534 workers, 22 children;
        // worker needs one per connection.
        Assert.Equal(550, a.For("event").MaxRequestWorkers);
        Assert.Equal(1600, a.For("worker").MaxRequestWorkers);
        Assert.Equal(8, a.For("event").StartServers);
        Assert.Equal("event", a.Best);
        Assert.Contains("85% of the connections waited for their next request", a.Reason);
    }

    [Fact]
    public void TinyRamIsCappedByMemoryAndRenewsChildren()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["one core, 256 MiB"]);
        // min(75% of 256 = 192, 120 available + 46 held = 166) - 16 parent = 150 MiB.
        Assert.Equal(150 * MiB, a.BudgetBytes);
        MpmRecommendation ev = a.For("event");
        Assert.Equal((5, 125), (ev.MaxChildren, ev.MaxRequestWorkers));
        Assert.Equal(MpmAdvisor.TightMaxConnectionsPerChild, a.For("prefork").MaxConnectionsPerChild);
        Assert.Equal(6, a.For("prefork").MaxRequestWorkers);
        Assert.Equal(1, ev.StartServers);
        Assert.False(a.For("prefork").Fits);
    }

    [Fact]
    public void WhenNotOneChildFitsTheAdviceSaysSoAndStillObeysTheClamps()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["one core, 40 MiB: not one child fits"]);
        // min(75% of 40 = 30, 20 + 46) - 16 parent = 14 MiB < a child of 24 MiB.
        Assert.Equal(14 * MiB, a.BudgetBytes);
        Assert.Contains(a.Notes, n => n.StartsWith("prefork: not even one child", StringComparison.Ordinal));
        Assert.Equal((1, 1), (a.For("event").ThreadsPerChild, a.For("event").MaxRequestWorkers));
        Assert.All(a.Recommendations, r => Assert.False(r.Fits));
        Assert.Contains("no MPM holds the target within memory", a.Reason);
    }

    [Fact]
    public void NoLoadObservedYetIsSaid()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["one core, 2 GiB, no load observed yet"]);
        Assert.Contains(a.Notes, n => n.StartsWith("no load observed yet", StringComparison.Ordinal));
        Assert.Equal(150, a.TargetConnections);
        Assert.Equal(150, a.For("event").MaxRequestWorkers);
        Assert.Equal((5, 10, 5), (a.For("prefork").MinSpare, a.For("prefork").MaxSpare, a.For("prefork").StartServers));
        Assert.Equal(1, a.For("worker").StartServers);
    }

    [Fact]
    public void ALoadBeyondTheCompiledLimitsRaisesServerLimit()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["32 cores, 64 GiB, 5000 connections"]);
        Assert.Equal(20000, a.TargetConnections);
        Assert.Equal((800, 20000), (a.For("worker").ServerLimit, a.For("worker").MaxRequestWorkers));
        // prefork's 22 MiB children: memory stops it at 2232, above the compiled 256.
        Assert.Equal((2232, 2232), (a.For("prefork").ServerLimit, a.For("prefork").MaxRequestWorkers));
        // Half the busy peak spare (2000 threads) is 80 children to start with, more than the 32 CPUs.
        Assert.Equal((2000, 80), (a.For("worker").MinSpare, a.For("worker").StartServers));
    }

    [Fact]
    public void AServerWhoseChildrenCannotBeReadIsSizedOnAnAssumedChild()
    {
        MpmAdvice a = MpmAdvisor.Advise(Recorded["no child measured"]);
        Assert.Contains(a.Notes, n => n.StartsWith("no child could be measured", StringComparison.Ordinal));
        Assert.Equal(MpmAdvisor.AssumedChildBytes, a.For("event").ChildBytes);
    }

    private static MpmSettings ToSettings(MpmRecommendation r) => r.Mpm switch
    {
        "prefork" => PreforkSettings.Debian with
        {
            StartServers = r.StartServers,
            MinSpareServers = r.MinSpare,
            MaxSpareServers = r.MaxSpare,
            ServerLimit = r.ServerLimit,
            MaxRequestWorkers = r.MaxRequestWorkers,
            MaxConnectionsPerChild = r.MaxConnectionsPerChild,
        },
        "worker" => WorkerSettings.Debian with
        {
            StartServers = r.StartServers,
            MinSpareThreads = r.MinSpare,
            MaxSpareThreads = r.MaxSpare,
            ThreadLimit = r.ThreadLimit,
            ThreadsPerChild = r.ThreadsPerChild,
            ServerLimit = r.ServerLimit,
            MaxRequestWorkers = r.MaxRequestWorkers,
            MaxConnectionsPerChild = r.MaxConnectionsPerChild,
        },
        _ => EventSettings.Debian with
        {
            StartServers = r.StartServers,
            MinSpareThreads = r.MinSpare,
            MaxSpareThreads = r.MaxSpare,
            ThreadLimit = r.ThreadLimit,
            ThreadsPerChild = r.ThreadsPerChild,
            ServerLimit = r.ServerLimit,
            MaxRequestWorkers = r.MaxRequestWorkers,
            MaxConnectionsPerChild = r.MaxConnectionsPerChild,
        },
    };
}
