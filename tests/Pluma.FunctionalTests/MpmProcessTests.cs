using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The seed's promises about processes and threads, counted from /proc on the real binary with
/// Debian's default MPM values (mods-available/mpm_*.conf).
/// </summary>
public sealed class MpmProcessTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void ThreadedMpmStartsTwoChildrenWithTwentyFiveWorkersEach(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        using var server = PlumaServer.Start(tree);
        IReadOnlyList<int> children = WaitForChildren(server.Pid, 2);
        Assert.Equal(2, children.Count);
        foreach (int child in children)
        {
            // worker's start thread starts the listener once its first worker runs, so wait for both.
            WaitForThreads(child, "mpm-listener", 1);
            IReadOnlyList<string> names = WaitForThreads(child, "mpm-worker", 25);
            Assert.Equal(25, names.Count(n => n == "mpm-worker"));
            Assert.Equal(1, names.Count(n => n == "mpm-listener"));
        }

        // The parent serves nothing: it has no worker threads of its own.
        Assert.DoesNotContain("mpm-worker", ProcFs.ThreadNames(server.Pid));
        Dictionary<string, string> status = Poll.Last(() => ServerStatus.Auto(tree.Port), s => s.Int("BusyWorkers") + s.Int("IdleWorkers") == 50, 10_000);
        Assert.Equal(mpm, status["ServerMPM"]);
        Assert.Equal(50, status.Int("BusyWorkers") + status.Int("IdleWorkers"));
        Assert.Equal(150, status["Scoreboard"].Length);
        if (mpm == "event")
        {
            Assert.Equal(2, status.Int("Processes"));
        }
    }

    [Fact]
    public void PreforkStartsFiveSingleThreadedChildren()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        using var server = PlumaServer.Start(tree);
        IReadOnlyList<int> children = WaitForChildren(server.Pid, 5);
        Assert.Equal(5, children.Count);
        foreach (int child in children)
        {
            Assert.DoesNotContain("mpm-worker", ProcFs.ThreadNames(child));
        }

        // A child shows in /proc before it has marked its slot ready (S counts as neither busy nor idle).
        // Debian's MinSpareServers is StartServers (5): a maintenance pass that runs while this
        // test's own status request keeps a child busy finds 4 idle and adds a sixth, as Apache's
        // would. So server-status must show every child there is, and at least StartServers.
        (Dictionary<string, string> status, int running) = Poll.Last(
            () => (ServerStatus.Auto(tree.Port), ProcFs.Children(server.Pid).Count),
            s => s.Item1.Int("BusyWorkers") + s.Item1.Int("IdleWorkers") == s.Item2,
            10_000);
        Assert.Equal("prefork", status["ServerMPM"]);
        Assert.Equal(running, status.Int("BusyWorkers") + status.Int("IdleWorkers"));
        Assert.True(running >= 5, $"{running} children");
    }

    [Theory]
    [InlineData("event")]
    [InlineData("prefork")]
    public void KilledChildIsReplacedWithinTwoSeconds(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        using var server = PlumaServer.Start(tree);
        int expected = mpm == "prefork" ? 5 : 2;
        IReadOnlyList<int> before = WaitForChildren(server.Pid, expected);
        NativeSignals.Kill(before[0], NativeSignals.SIGKILL);
        var sw = Stopwatch.StartNew();
        IReadOnlyList<int> after;
        do
        {
            Thread.Sleep(100);
            after = ProcFs.Children(server.Pid);
        }
        while ((after.Count < expected || after.Contains(before[0])) && sw.ElapsedMilliseconds < 5000);
        Assert.True(after.Count >= expected && !after.Contains(before[0]), $"children {string.Join(',', after)} after {sw.ElapsedMilliseconds} ms");
        Assert.True(sw.ElapsedMilliseconds <= 2000, $"replaced after {sw.ElapsedMilliseconds} ms");

        // Logged as Apache logs it (ap_process_child_status): nothing for SIGKILL, which only an
        // administrator sends; AH00052 at notice for a child that crashed (here SIGABRT).
        Assert.DoesNotContain("AH00052", tree.ErrorLog, StringComparison.Ordinal);
        int victim = after.First(pid => !before.Contains(pid));
        NativeSignals.Kill(victim, NativeSignals.SIGABRT);
        string logged = Poll.Last(() => tree.ErrorLog.Split('\n').FirstOrDefault(l => l.Contains("AH00052", StringComparison.Ordinal)) ?? "", l => l.Length > 0, 3000);
        Assert.Contains("[core:notice]", logged, StringComparison.Ordinal);
        Assert.EndsWith($"AH00052: child pid {victim} exit signal Aborted (6)", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void PreforkGrowsUnderSlowClientsAndShrinksAfterwards()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        using var server = PlumaServer.Start(tree);
        WaitForChildren(server.Pid, 5);
        var slow = new List<Socket>();
        try
        {
            // Each connection that sends nothing holds a prefork child in R (bounded: 30 of them, 20 s at most).
            for (int i = 0; i < 30; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect("127.0.0.1", tree.Port);
                s.Send("GET / HTTP/1.1\r\n"u8.ToArray());
                slow.Add(s);
            }

            int grown = Poll.Last(() => ProcFs.Children(server.Pid).Count, n => n >= 30, 15_000);
            Assert.True(grown >= 30, $"prefork grew only to {grown} children");
        }
        finally
        {
            foreach (Socket s in slow)
            {
                s.Dispose();
            }
        }

        // One idle child retired per second down to MaxSpareServers 10.
        int shrunk = Poll.Last(() => ProcFs.Children(server.Pid).Count, n => n <= 10, 40_000);
        Assert.True(shrunk <= 10, $"prefork still has {shrunk} children");
    }

    [Fact]
    public void EventNeedsNoMoreChildrenForSlowClients()
    {
        // The same 70 clients that never finish their request line hold no event worker: they
        // wait in the listener's epoll set (counted under ConnsAsyncKeepAlive), so idle threads
        // stay above MinSpareThreads and no child is added (Apache's event adds them, as worker).
        using var tree = new TempConfTree();
        tree.SwitchMpm("event");
        using var server = PlumaServer.Start(tree);
        WaitForChildren(server.Pid, 2);
        var slow = new List<Socket>();
        try
        {
            for (int i = 0; i < 70; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect("127.0.0.1", tree.Port);
                s.Send("GET / HTTP/1.1\r\n"u8.ToArray());
                slow.Add(s);
            }

            int parked = Poll.Last(() => ServerStatus.Auto(tree.Port).Int("ConnsAsyncKeepAlive"), n => n >= 70, 15_000);
            Assert.Equal(70, parked);
            Thread.Sleep(3_000); // three maintenance rounds
            Dictionary<string, string> status = ServerStatus.Auto(tree.Port);
            Assert.True(status.Int("BusyWorkers") <= 2, "busy workers: " + status["BusyWorkers"]);
            Assert.Equal(2, ProcFs.Children(server.Pid).Count);
        }
        finally
        {
            foreach (Socket s in slow)
            {
                s.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("worker")]
    public void ThreadedMpmAddsChildrenUnderSlowClientsAndRetiresThemAfterwards(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        using var server = PlumaServer.Start(tree);
        WaitForChildren(server.Pid, 2);
        var slow = new List<Socket>();
        try
        {
            // 70 clients that never finish their request line each hold a worker (scoreboard R):
            // idle threads drop below MinSpareThreads 25 and children are added, at most
            // MaxRequestWorkers 150 / ThreadsPerChild 25 = 6 (bounded: 70 sockets, 20 s).
            for (int i = 0; i < 70; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect("127.0.0.1", tree.Port);
                s.Send("GET / HTTP/1.1\r\n"u8.ToArray());
                slow.Add(s);
            }

            int grown = Poll.Last(() => ProcFs.Children(server.Pid).Count, n => n >= 4, 15_000);
            Assert.True(grown >= 4 && grown <= 6, $"{mpm} has {grown} children under 70 slow clients");
            Dictionary<string, string> status = ServerStatus.Auto(tree.Port);
            if (mpm == "event")
            {
                Assert.Equal(ProcFs.Children(server.Pid).Count, status.Int("Processes"));
            }

            Assert.True(status.Int("BusyWorkers") >= 70, "busy workers: " + status["BusyWorkers"]);
        }
        finally
        {
            foreach (Socket s in slow)
            {
                s.Dispose();
            }
        }

        // Idle threads above MaxSpareThreads 75: one child retired a second, down to 3 (75 idle).
        int shrunk = Poll.Last(() => ProcFs.Children(server.Pid).Count, n => n <= 3, 30_000);
        Assert.True(shrunk <= 3, $"{mpm} still has {shrunk} children");
    }

    [Fact]
    public void PreforkChildrenStaySmallAfterServingThousandsOfRequests()
    {
        // Children inherit a small GC budget (ServerCommand.LimitChildGen0Budget): without it a
        // child's RSS grows to the runtime's cache-sized budget (about 20-36 MiB here).
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        using var server = PlumaServer.Start(tree);
        WaitForChildren(server.Pid, 5);
        ProcessResult ab = ProcessRunner.Run("ab", ["-q", "-k", "-n", "5000", "-c", "5", $"http://127.0.0.1:{tree.Port}/"]);
        Assert.Contains("Failed requests:        0", ab.StandardOutput);
        foreach (int child in ProcFs.Children(server.Pid))
        {
            long rss = ProcFs.RssKiB(child);
            Assert.True(rss < 20 * 1024, $"child {child} has {rss} KiB resident");
        }
    }

    [Fact]
    public void PreforkWakesOneIdleChildPerConnection()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        tree.WriteConf("mods-available/mpm_prefork.conf", "StartServers 10\nMinSpareServers 10\nMaxSpareServers 20\nMaxRequestWorkers 150\n");
        using var server = PlumaServer.Start(tree);
        IReadOnlyList<int> children = WaitForChildren(server.Pid, 10);
        Poll.Last(() => ServerStatus.Auto(tree.Port), s => s.Int("IdleWorkers") >= 10, 10_000);
        long before = children.Sum(ProcFs.VoluntarySwitches);
        const int Requests = 30;
        for (int i = 0; i < Requests; i++)
        {
            using var c = new RawHttp(tree.Port);
            c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Contains("200 OK", c.ReadToEnd(), StringComparison.Ordinal);
        }

        // The serving child wakes a few times per connection, and every idle child once a second
        // (its wait times out); if each connection woke every idle child (poll on a shared
        // listener) it would be at least Requests x 10.
        long woken = children.Sum(ProcFs.VoluntarySwitches) - before;
        Assert.True(woken < Requests * 6, $"{woken} wake-ups of the idle children's main threads for {Requests} connections");
    }

    [Fact]
    public void PreforkReplacesChildrenAfterMaxConnectionsPerChild()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        tree.WriteConf("mods-available/mpm_prefork.conf", "StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\nMaxRequestWorkers 150\nMaxConnectionsPerChild 100\n");
        using var server = PlumaServer.Start(tree);
        var first = WaitForChildren(server.Pid, 5).ToHashSet();
        ProcessResult ab = ProcessRunner.Run("ab", ["-q", "-n", "1000", "-c", "5", $"http://127.0.0.1:{tree.Port}/"]);
        Assert.Contains("Failed requests:        0", ab.StandardOutput);
        Thread.Sleep(1500);
        var now = ProcFs.Children(server.Pid).ToHashSet();
        Assert.NotEmpty(first.Except(now));
    }

    [Fact]
    public void GracefulRestartsUnderLoadFailNoRequest()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        WaitForChildren(server.Pid, 2);
        ProcessResult? result = null;
        var ab = new Thread(() => result = ProcessRunner.Run("ab", ["-q", "-c", "20", "-t", "10", "-n", "2000000", $"http://127.0.0.1:{tree.Port}/"], timeoutMs: 40_000));
        ab.Start();
        for (int i = 0; i < 5; i++)
        {
            Thread.Sleep(1500);
            server.Signal(NativeSignals.SIGUSR1);
        }

        ab.Join();
        Assert.NotNull(result);
        Assert.Contains("Failed requests:        0", result!.StandardOutput);
        Assert.DoesNotContain("Non-2xx", result.StandardOutput);
    }

    private static IReadOnlyList<int> WaitForChildren(int pid, int count)
    {
        IReadOnlyList<int> children = [];
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 10_000)
        {
            children = ProcFs.Children(pid);
            if (children.Count >= count)
            {
                break;
            }

            Thread.Sleep(50);
        }

        return children;
    }

    private static IReadOnlyList<string> WaitForThreads(int pid, string name, int count)
    {
        IReadOnlyList<string> names = [];
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 10_000)
        {
            names = ProcFs.ThreadNames(pid);
            if (names.Count(n => n == name) >= count)
            {
                break;
            }

            Thread.Sleep(50);
        }

        return names;
    }
}
