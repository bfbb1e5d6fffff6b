using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Xunit;

namespace Pluma.Mpm.Tests;

public sealed class ClampTests
{
    [Fact]
    public void EventThreadsPerChildAboveThreadLimitIsDecreasedAndMaxRequestWorkersRoundedAsObserved()
    {
        MpmConfigCheck c = (EventSettings.Debian with { ThreadsPerChild = 100 }).CheckConfig(startup: true);
        Assert.Equal(
        [
            "AH00507: WARNING: ThreadsPerChild of 100 exceeds ThreadLimit of 64 threads, decreasing to 64. To increase, please see the ThreadLimit directive.",
            "AH00513: WARNING: MaxRequestWorkers of 150 is not an integer multiple of ThreadsPerChild of 64, decreasing to nearest multiple 128, for a maximum of 2 servers.",
        ], c.Warnings);
        var s = (EventSettings)c.Settings;
        Assert.Equal(64, s.ThreadsPerChild);
        Assert.Equal(128, s.MaxRequestWorkers);
        Assert.Equal(2, s.MaxDaemons);
    }

    [Fact]
    public void EventThreadsPerChildZeroRaisesToOneThenHitsServerLimit()
    {
        MpmConfigCheck c = (EventSettings.Debian with { ThreadsPerChild = 0 }).CheckConfig(startup: true);
        Assert.Equal(
        [
            "AH00509: WARNING: ThreadsPerChild of 0 not allowed, increasing to 1.",
            "AH00515: WARNING: MaxRequestWorkers of 150 would require 150 servers and would exceed ServerLimit of 16, decreasing to 16. To increase, please see the ServerLimit directive.",
        ], c.Warnings);
        Assert.Equal(16, c.Settings.MaxDaemons);
    }

    [Fact]
    public void EventMaxRequestWorkersAboveServerLimitLowersOnlyTheProcessLimit()
    {
        MpmConfigCheck c = (EventSettings.Debian with { MaxRequestWorkers = 2000 }).CheckConfig(startup: true);
        Assert.Equal(["AH00515: WARNING: MaxRequestWorkers of 2000 would require 80 servers and would exceed ServerLimit of 16, decreasing to 400. To increase, please see the ServerLimit directive."], c.Warnings);
        Assert.Equal(2000, c.Settings.MaxRequestWorkers);
        Assert.Equal(16, c.Settings.MaxDaemons);
    }

    [Fact]
    public void EventMaxRequestWorkersBelowThreadsPerChildIsRaised()
    {
        MpmConfigCheck c = (EventSettings.Debian with { MaxRequestWorkers = 10 }).CheckConfig(startup: true);
        Assert.Equal(["AH00511: WARNING: MaxRequestWorkers of 10 is less than ThreadsPerChild of 25, increasing to 25. MaxRequestWorkers must be at least as large as the number of threads in a single server."], c.Warnings);
        Assert.Equal(25, c.Settings.MaxRequestWorkers);
    }

    [Fact]
    public void EventRestartTextsAreTheShortErrorLogVariants()
    {
        var running = EventSettings.Debian;
        MpmConfigCheck c = (EventSettings.Debian with { ServerLimit = 30, ThreadLimit = 100, ThreadsPerChild = 0, MaxRequestWorkers = 151, StartServers = 0, MinSpareThreads = 0 })
            .CheckConfig(startup: false, running);
        Assert.Equal(
        [
            "AH00501: changing ServerLimit to 30 from original value of 16 not allowed during restart",
            "AH00506: changing ThreadLimit to 100 from original value of 64 not allowed during restart",
            "AH00510: ThreadsPerChild of 0 not allowed, increasing to 1",
            "AH00516: MaxRequestWorkers of 151 would require 151 servers and exceed ServerLimit of 16, decreasing to 16",
            "AH00518: StartServers of 0 not allowed, increasing to 1",
            "AH00520: MinSpareThreads of 0 not allowed, increasing to 1",
        ], c.Warnings);
        Assert.Equal(16, c.Settings.ServerLimit);
        Assert.Equal(64, ((EventSettings)c.Settings).ThreadLimit);
    }

    [Fact]
    public void EventLimitsAboveCompileTimeMaximaAreDecreased()
    {
        MpmConfigCheck start = (EventSettings.Debian with { ServerLimit = 30000, ThreadLimit = 200000 }).CheckConfig(startup: true);
        Assert.Equal("AH00497: WARNING: ServerLimit of 30000 exceeds compile-time limit of 20000 servers, decreasing to 20000.", start.Warnings[0]);
        Assert.Equal("AH00502: WARNING: ThreadLimit of 200000 exceeds compile-time limit of 100000 threads, decreasing to 100000.", start.Warnings[1]);
        MpmConfigCheck restart = (EventSettings.Debian with { ServerLimit = 0, ThreadLimit = 0 }).CheckConfig(startup: false);
        Assert.Equal("AH00500: ServerLimit of 0 not allowed, increasing to 1", restart.Warnings[0]);
        Assert.Equal("AH00505: ThreadLimit of 0 not allowed, increasing to 1", restart.Warnings[1]);
    }

    [Fact]
    public void WorkerUsesItsOwnMessageNumbersAndThreadLimitMaximum()
    {
        MpmConfigCheck c = (WorkerSettings.Debian with { ThreadLimit = 30000, ThreadsPerChild = 100, MaxRequestWorkers = 150 }).CheckConfig(startup: true);
        Assert.Equal(
        [
            "AH00305: WARNING: ThreadLimit of 30000 exceeds compile-time limit of 20000 threads, decreasing to 20000.",
            "AH00316: WARNING: MaxRequestWorkers of 150 is not an integer multiple of ThreadsPerChild of 100, decreasing to nearest multiple 100, for a maximum of 1 servers.",
        ], c.Warnings);
        MpmConfigCheck r = (WorkerSettings.Debian with { ThreadsPerChild = 100, MinSpareThreads = -3 }).CheckConfig(startup: false);
        Assert.Equal(
        [
            "AH00311: ThreadsPerChild of 100 exceeds ThreadLimit of 64, decreasing to match",
            "AH00317: MaxRequestWorkers of 150 is not an integer multiple of ThreadsPerChild of 64, decreasing to nearest multiple 128",
            "AH00323: MinSpareThreads of -3 not allowed, increasing to 1",
        ], r.Warnings);
    }

    [Fact]
    public void PreforkChecksRunInApacheOrder()
    {
        MpmConfigCheck c = (PreforkSettings.Debian with { ServerLimit = 100, MaxRequestWorkers = 150, StartServers = 0, MinSpareServers = 0 }).CheckConfig(startup: true);
        Assert.Equal(
        [
            "AH00180: WARNING: MaxRequestWorkers of 150 exceeds ServerLimit value of 100 servers, decreasing MaxRequestWorkers to 100. To increase, please see the ServerLimit directive.",
            "AH00184: WARNING: StartServers of 0 not allowed, increasing to 1.",
            "AH00186: WARNING: MinSpareServers of 0 not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation.",
        ], c.Warnings);
        Assert.Equal(100, c.Settings.MaxRequestWorkers);
    }

    [Fact]
    public void PreforkRestartVariantsAndFrozenServerLimit()
    {
        MpmConfigCheck c = (PreforkSettings.Debian with { ServerLimit = 300, MaxRequestWorkers = 0, StartServers = -1, MinSpareServers = -1 })
            .CheckConfig(startup: false, running: new PreforkSettings());
        Assert.Equal(
        [
            "AH00179: changing ServerLimit to 300 from original value of 256 not allowed during restart",
            "AH00183: MaxRequestWorkers of 0 not allowed, increasing to 1",
            "AH00185: StartServers of -1 not allowed, increasing to 1",
            "AH00187: MinSpareServers of -1 not allowed, increasing to 1",
        ], c.Warnings);
        MpmConfigCheck big = (new PreforkSettings { ServerLimit = 300000, MaxRequestWorkers = 10 }).CheckConfig(startup: true);
        Assert.Equal(["AH00175: WARNING: ServerLimit of 300000 exceeds compile-time limit of 200000 servers, decreasing to 200000."], big.Warnings);
        MpmConfigCheck low = (new PreforkSettings { ServerLimit = 0, MaxRequestWorkers = 1 }).CheckConfig(startup: false);
        Assert.Equal(["AH00178: ServerLimit of 0 not allowed, increasing to 1"], low.Warnings);
        MpmConfigCheck over = (new PreforkSettings { ServerLimit = 10, MaxRequestWorkers = 20 }).CheckConfig(startup: false);
        Assert.Equal(["AH00181: MaxRequestWorkers of 20 exceeds ServerLimit value of 10, decreasing to match"], over.Warnings);
    }

    [Fact]
    public void DebianDefaultsProduceNoWarnings()
    {
        Assert.Empty(EventSettings.Debian.CheckConfig(startup: true).Warnings);
        Assert.Empty(WorkerSettings.Debian.CheckConfig(startup: true).Warnings);
        Assert.Empty(PreforkSettings.Debian.CheckConfig(startup: true).Warnings);
        Assert.Empty(new EventSettings().CheckConfig(startup: true).Warnings);
        Assert.Empty(new PreforkSettings().CheckConfig(startup: true).Warnings);
    }

    [Fact]
    public void RunTimeAdjustmentsRaiseMaxSpareSilently()
    {
        var e = (EventSettings)(EventSettings.Debian with { MinSpareThreads = 50, MaxSpareThreads = 60, StartServers = 20 }).AdjustForRun();
        Assert.Equal(50 + 25 + 1, e.MaxSpareThreads);
        Assert.Equal(6, e.StartServers);
        var p = (PreforkSettings)(PreforkSettings.Debian with { MinSpareServers = 10, MaxSpareServers = 3 }).AdjustForRun();
        Assert.Equal(11, p.MaxSpareServers);
    }
}
