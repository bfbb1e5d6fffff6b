using Pluma.Mpm;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Xunit;

namespace Pluma.Mpm.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void CompiledDefaultsAreApaches()
    {
        var e = new EventSettings();
        Assert.Equal((3, 16, 64, 25, 400, 75, 250), (e.StartServers, e.ServerLimit, e.ThreadLimit, e.ThreadsPerChild, e.MaxRequestWorkers, e.MinSpareThreads, e.MaxSpareThreads));
        var p = new PreforkSettings();
        Assert.Equal((5, 256, 256, 5, 10), (p.StartServers, p.ServerLimit, p.MaxRequestWorkers, p.MinSpareServers, p.MaxSpareServers));
        Assert.Equal(6, EventSettings.Debian.MaxDaemons);
        Assert.Equal(150, PreforkSettings.Debian.MaxDaemons);
    }

    [Fact]
    public void VersionLinesMatchApachectlV()
    {
        Assert.Equal(["Server MPM:     event", "  threaded:     yes (fixed thread count)", "    forked:     yes (variable process count)"], EventSettings.Debian.VersionLines());
        Assert.Equal(["Server MPM:     worker", "  threaded:     yes (fixed thread count)", "    forked:     yes (variable process count)"], WorkerSettings.Debian.VersionLines());
        Assert.Equal(["Server MPM:     prefork", "  threaded:     no", "    forked:     yes (variable process count)"], PreforkSettings.Debian.VersionLines());
    }

    [Fact]
    public void QueryAnswersApMpmQueryCodes()
    {
        Assert.Equal(MpmQueryAnswer.Static, EventSettings.Debian.Query(MpmQuery.IsThreaded));
        Assert.Equal(1, EventSettings.Debian.Query(MpmQuery.IsAsync));
        Assert.Equal(0, WorkerSettings.Debian.Query(MpmQuery.IsAsync));
        Assert.Equal(64, EventSettings.Debian.Query(MpmQuery.HardLimitThreads));
        Assert.Equal(6, EventSettings.Debian.Query(MpmQuery.MaxDaemons));
        Assert.Equal(MpmQueryAnswer.NotSupported, PreforkSettings.Debian.Query(MpmQuery.IsThreaded));
        Assert.Equal(150, PreforkSettings.Debian.Query(MpmQuery.MaxDaemons));
        Assert.Equal(10, PreforkSettings.Debian.Query(MpmQuery.MaxSpareDaemons));
        Assert.Equal(12, (int)MpmQuery.MaxDaemons);
    }

    [Fact]
    public void SettingsSurviveTheTripThroughAChildEnvironment()
    {
        MpmSettings[] all =
        [
            EventSettings.Debian with { AsyncRequestWorkerFactor = 1.5, MaxConnectionsPerChild = -1 },
            EventSettings.Debian with { KeepAliveOutsideAsyncLimit = false },
            WorkerSettings.Debian with { GracefulShutdownTimeout = 7, ListenCoresBucketsRatio = 1, ListenBuckets = 2 },
            PreforkSettings.Debian with { ListenBacklog = 10 },
        ];
        foreach (MpmSettings s in all)
        {
            Assert.Equal(s, MpmDefinitions.ReadChildSettings(s.ToEnvironmentValue()));
        }
    }

    [Fact]
    public void AsyncRequestWorkerFactorIsTruncatedAndAtLeastOne()
    {
        Assert.Equal(1, (EventSettings.Debian with { AsyncRequestWorkerFactor = 1.5 }).WorkerFactor);
        Assert.Equal(1, (EventSettings.Debian with { AsyncRequestWorkerFactor = 0.2 }).WorkerFactor);
        Assert.Equal(2, EventSettings.Debian.WorkerFactor);
    }

    [Fact]
    public void MaxConnectionsPerChildCountsConnectionsUntilExhausted()
    {
        var c = ConnectionsPerChild.ForPrefork(3);
        for (int i = 0; i < 3; i++)
        {
            Assert.False(c.Exhausted);
            c.CountAccepted();
        }

        Assert.True(c.Exhausted);
    }

    [Fact]
    public void MaxConnectionsPerChildZeroIsUnlimitedEverywhere()
    {
        var t = ConnectionsPerChild.ForThreaded(0);
        var p = ConnectionsPerChild.ForPrefork(0);
        for (int i = 0; i < 1000; i++)
        {
            t.CountAccepted();
            p.CountAccepted();
        }

        Assert.False(t.Exhausted);
        Assert.False(p.Exhausted);
    }

    [Fact]
    public void NegativeMaxConnectionsPerChildStopsThreadedChildrenButNotPrefork()
    {
        Assert.True(ConnectionsPerChild.ForThreaded(-1).Exhausted);
        Assert.False(ConnectionsPerChild.ForPrefork(-1).Exhausted);
    }
}
