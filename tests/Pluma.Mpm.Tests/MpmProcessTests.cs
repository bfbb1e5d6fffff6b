using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Scoreboard;
using Pluma.Testing;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>The MPMs' promises proven once against real parent and child processes.</summary>
[Collection(ProcessCollection.Name)]
public sealed class MpmProcessTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void ThreadedMpmStartsTwoChildrenWithTwentyFiveDedicatedWorkerThreadsEach(string mpm)
    {
        using var server = MpmTestServer.Start(mpm);
        Assert.True(MpmTestServer.WaitUntil(
            () => server.Children() is { Count: 2 } c && c.All(pid => MpmTestServer.NamedThreads(pid, "mpm-worker") == 25 && MpmTestServer.NamedThreads(pid, "mpm-listener") == 1),
            15_000), $"children: {string.Join(',', server.Children())}\n{server.ErrorLog}");
        Assert.Equal(0, MpmTestServer.NamedThreads(server.Pid, "mpm-worker"));
        Assert.StartsWith("pid=", server.Get());
        Assert.Contains(mpm == "event" ? "AH00489: Apache/2.4.71 (Debian) configured -- resuming normal operations" : "AH00292: Apache/2.4.71 (Debian) configured -- resuming normal operations", server.ErrorLog);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("prefork")]
    public void ParentGivesUpWhenNoChildEverStarts(string mpm)
    {
        // Children that exit with APEXIT_CHILDSICK before any child of the run came up would be
        // respawned forever: the parent logs AH02324 and exits instead.
        using var server = MpmTestServer.Start(mpm, "--child-sick");
        Assert.True(server.WaitForExit(15_000), "the parent kept respawning sick children");
        Assert.Contains("AH02324: A resource shortage or other unrecoverable failure was encountered before any child process initialized successfully", server.ErrorLog);
    }

    [Fact]
    public void PreforkStartsFiveSingleConnectionChildren()
    {
        using var server = MpmTestServer.Start("prefork");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 5, 15_000), server.ErrorLog);
        string body = server.Get();
        Assert.Contains(int.Parse(body["pid=".Length..].Trim()), server.Children());
        Assert.Contains("AH00163: Apache/2.4.71 (Debian) configured -- resuming normal operations", server.ErrorLog);
    }

    [Fact]
    public void PreforkGrowsUnderSlowConnectionsAndShrinksAfterwards()
    {
        using var server = MpmTestServer.Start("prefork", "StartServers=2", "MinSpareServers=2", "MaxSpareServers=3", "MaxRequestWorkers=20");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 2, 15_000));
        var slow = new List<Socket>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(IPAddress.Loopback, server.Port);
                s.Send("GET / HTTP/1.1\r\n"u8.ToArray());
                slow.Add(s);
            }

            // Six children hold a half-sent request each; two more stay idle (MinSpareServers).
            Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count >= 8, 20_000), $"{server.Children().Count} children\n{server.ErrorLog}");
        }
        finally
        {
            foreach (Socket s in slow)
            {
                s.Dispose();
            }
        }

        // One idle child retired per second until idle <= MaxSpareServers.
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count <= 3, 20_000), $"{server.Children().Count} children\n{server.ErrorLog}");
    }

    [Fact]
    public void KilledEventChildIsReplacedWithinTwoSeconds()
    {
        using var server = MpmTestServer.Start("event");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 2, 15_000));
        int victim = server.Children()[0];
        NativeSignals.Kill(victim, NativeSignals.SIGKILL);
        Assert.True(MpmTestServer.WaitUntil(() => server.Children() is { Count: 2 } c && !c.Contains(victim), 2_000), server.ErrorLog);
        Assert.DoesNotContain("AH00052", server.ErrorLog);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("prefork")]
    public void GracefulRestartUnderContinuousRequestsFailsNone(string mpm)
    {
        using var server = MpmTestServer.Start(mpm, "StartServers=2", mpm == "prefork" ? "MinSpareServers=2" : "MinSpareThreads=25");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 2, 15_000));
        IReadOnlyList<int> before = server.Children();
        int ok = 0;
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    server.Get();
                    Interlocked.Increment(ref ok);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToList();
        clients.ForEach(t => t.Start());
        // Counted in requests, not in seconds: on a loaded 2-core machine a second may hold only
        // a few. Requests flow before the signal, through the restart, and on the new children.
        bool flowing = MpmTestServer.WaitUntil(() => Volatile.Read(ref ok) >= 10, 30_000);
        server.Signal(NativeSignals.SIGUSR1);
        bool replaced = MpmTestServer.WaitUntil(() => server.Children() is { Count: >= 2 } c && !c.Intersect(before).Any(), 15_000);
        int atReplacement = Volatile.Read(ref ok);
        bool servedAfter = MpmTestServer.WaitUntil(() => Volatile.Read(ref ok) >= atReplacement + 10, 30_000);
        stop.Cancel();
        clients.ForEach(t => t.Join());
        Assert.True(flowing, $"only {ok} requests before the restart");
        Assert.True(replaced, server.ErrorLog);
        Assert.Empty(failures);
        Assert.True(servedAfter, $"only {ok - atReplacement} requests after the children were replaced");
        Assert.Contains(mpm == "event" ? "AH00493: SIGUSR1 received.  Doing graceful restart" : "AH00171: Graceful restart requested, doing restart", server.ErrorLog);
    }

    [Fact]
    public void PreforkChildrenLeaveAfterMaxConnectionsPerChildAndAreReplaced()
    {
        using var server = MpmTestServer.Start("prefork", "StartServers=2", "MinSpareServers=2", "MaxSpareServers=4", "MaxConnectionsPerChild=100");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 2, 15_000));
        var servedBy = new HashSet<string>();
        for (int i = 0; i < 300; i++)
        {
            servedBy.Add(server.Get().Trim());
        }

        // 300 connections at 100 per child: at least three different children served them.
        Assert.True(servedBy.Count >= 3, string.Join(',', servedBy));
    }

    [Fact]
    public void BindFailureIsReportedWithApachesLines()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        using var dir = new TempDirectory("pluma-mpm-");
        var output = new StringBuilder();
        using var p = MpmTestServer.Launch(dir, ["--mpm", "event", "--listen", $"127.0.0.1:{port}"], output);
        Assert.True(p.WaitForExit(20_000));
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains($"(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:{port}", output.ToString());
        Assert.Contains("AH00451: no listening sockets available, shutting down", output.ToString());
    }

    [Fact]
    public void GracefulStopRefusesNewConnectionsAtOnceAndRemovesThePidFile()
    {
        using var server = MpmTestServer.Start("event", "GracefulShutdownTimeout=5");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 2, 15_000));
        Assert.True(File.Exists(server.Dir.Combine("pluma.pid")));
        server.Signal(NativeSignals.SIGWINCH);
        Assert.True(MpmTestServer.WaitUntil(() => !File.Exists(server.Dir.Combine("pluma.pid")), 5_000));
        Assert.Throws<SocketException>(() => server.Get());
        Assert.True(server.WaitForExit(10_000));
        Assert.Contains("AH00492: caught SIGWINCH, shutting down gracefully", server.ErrorLog);
    }

    [Theory]
    [InlineData("event", '_')]
    [InlineData("worker", 'K')]
    public void KeepAliveConnectionHoldsAWorkerOnlyUnderWorker(string mpm, char expected)
    {
        using var server = MpmTestServer.Start(mpm, "StartServers=1");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == 1 && MpmTestServer.NamedThreads(server.Children()[0], "mpm-worker") == 25, 15_000));
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        s.Connect(IPAddress.Loopback, server.Port);
        s.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        MpmTestServer.ReadResponseBody(s);
        using var board = Pluma.Scoreboard.Scoreboard.Open(server.Dir.Combine("scoreboard"));
        Assert.True(MpmTestServer.WaitUntil(() => !board.Snapshot().Letters.Contains('W', StringComparison.Ordinal) && !board.Snapshot().Letters.Contains('R', StringComparison.Ordinal), 5_000));
        ScoreboardSnapshot snap = board.Snapshot();
        Assert.Equal(expected == 'K' ? 1 : 0, snap.Letters.Count(c => c == 'K'));
        Assert.Equal(expected == 'K' ? 1 : 0, snap.BusyWorkers);
        Assert.Equal(1, snap.TotalAccesses);
        // The parked (event) or held (worker) connection still serves its next request.
        s.Send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        Assert.StartsWith("pid=", MpmTestServer.ReadResponseBody(s));
    }

    [Fact]
    public void OneProcessModeServesInTheParentWithoutChildren()
    {
        using var server = MpmTestServer.Start("worker", "-X");
        Assert.Equal($"pid={server.Pid}\n", server.Get());
        Assert.Empty(server.Children());
    }
}
