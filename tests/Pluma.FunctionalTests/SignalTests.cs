using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>-k and the signals behind it, on the real binary (Apache's messages with Pluma's name).</summary>
public sealed class SignalTests
{
    [Fact]
    public void StopWhenNothingRunsSaysSoAndSucceeds()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-k", "stop");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("pluma (no pid file) not running", r.StandardError);
    }

    [Fact]
    public void GracefulRestartStartsANewGenerationAndLogsIt()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        Assert.Equal("0", ServerStatus.Auto(tree.Port)["ParentServerMPMGeneration"]);
        ProcessResult r = Pluma.OnTree(tree, "-k", "graceful");
        Assert.Equal(0, r.ExitCode);
        string generation = "0";
        var sw = Stopwatch.StartNew();
        while (generation == "0" && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(200);
            generation = ServerStatus.Auto(tree.Port)["ParentServerMPMGeneration"];
        }

        Assert.Equal("1", generation);
        Assert.Contains("AH00493: SIGUSR1 received.  Doing graceful restart", File.ReadAllText(Path.Combine(tree.LogDir, "error.log")));
    }

    [Fact]
    public void HardRestartReplacesEveryChild() => HardRestartReplacesEveryChildOf(tree => PlumaServer.Start(tree));

    /// <summary>
    /// Started with SIGHUP, SIGUSR1 and SIGWINCH ignored (nohup, some CI runners and service
    /// managers): .NET keeps an inherited SIG_IGN, Apache does not, and neither does Pluma.
    /// </summary>
    [Fact]
    public void HardRestartWorksWhenTheSignalsWereInheritedIgnored() =>
        HardRestartReplacesEveryChildOf(tree => PlumaServer.StartUnderShell(tree, "trap '' HUP USR1 WINCH"));

    private static void HardRestartReplacesEveryChildOf(Func<TempConfTree, PlumaServer> start)
    {
        using var tree = new TempConfTree();
        using var server = start(tree);
        var sw = Stopwatch.StartNew();
        IReadOnlyList<int> before = ProcFs.Children(server.Pid);
        while (before.Count < 2 && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(50);
            before = ProcFs.Children(server.Pid);
        }

        ProcessResult r = Pluma.OnTree(tree, "-k", "restart");
        Assert.Equal(0, r.ExitCode);
        sw.Restart();
        IReadOnlyList<int> after = before;
        while ((after.Count < 2 || after.Intersect(before).Any()) && sw.ElapsedMilliseconds < 15_000)
        {
            Thread.Sleep(100);
            after = ProcFs.Children(server.Pid);
        }

        Assert.True(after.Count == 2 && !after.Intersect(before).Any(),
            $"children before [{string.Join(' ', before)}], 15 s after -k restart [{string.Join(' ', after)}]\n"
            + ProcFs.DescribeForFailure(server.Pid) + tree.ErrorLog);
        Assert.Contains("AH00494: SIGHUP received.  Attempting to restart", File.ReadAllText(Path.Combine(tree.LogDir, "error.log")));
        Assert.Equal("1", ServerStatus.Auto(tree.Port)["ParentServerMPMGeneration"]);
    }

    [Fact]
    public void StartWhileRunningSaysAlreadyRunning()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        ProcessResult r = Pluma.OnTree(tree, "-k", "start");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"pluma (pid {server.Pid}) already running", r.StandardError);
    }

    [Fact]
    public void TermStopsEverythingAndRemovesThePidFile()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        var sw = Stopwatch.StartNew();
        IReadOnlyList<int> children = ProcFs.Children(server.Pid);
        while (children.Count < 2 && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(50);
            children = ProcFs.Children(server.Pid);
        }

        server.Signal(NativeSignals.SIGTERM);
        Assert.True(server.WaitForExit(15_000), "the parent did not exit after SIGTERM");
        foreach (int child in children)
        {
            Assert.False(Directory.Exists($"/proc/{child}") && File.ReadAllText($"/proc/{child}/stat").Contains(" S ", StringComparison.Ordinal), $"child {child} outlived the parent");
        }

        Assert.False(File.Exists(tree.PidFile));
        string log = File.ReadAllText(Path.Combine(tree.LogDir, "error.log"));
        Assert.Contains("AH00489: Pluma/0.1.0 (Unix) configured -- resuming normal operations", log);
        Assert.Contains("AH00491: caught SIGTERM, shutting down", log);
    }

    [Fact]
    public void GracefulStopRefusesNewConnectionsAndExits()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        server.Signal(NativeSignals.SIGWINCH);
        Assert.True(server.WaitForExit(15_000), "the parent did not exit after SIGWINCH");
        Assert.Contains("AH00492: caught SIGWINCH, shutting down gracefully", File.ReadAllText(Path.Combine(tree.LogDir, "error.log")));
        Assert.Throws<System.Net.Sockets.SocketException>(() => new RawHttp(tree.Port));
    }

    [Fact]
    public void GracefulStopLetsTheRequestInFlightFinish()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n");
        Thread.Sleep(300);
        server.Signal(NativeSignals.SIGWINCH);
        Thread.Sleep(300);
        c.Send("Connection: close\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.True(server.WaitForExit(15_000), "the parent did not exit after the last request finished");
    }

    [Fact]
    public void GracefulShutdownTimeoutEndsAGracefulStopThatWouldWaitForever()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("GracefulShutdownTimeout 2");
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(tree.Port);
        // A client that never finishes its request holds a worker until Timeout (300 s).
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n");
        Thread.Sleep(300);
        var sw = Stopwatch.StartNew();
        server.Signal(NativeSignals.SIGWINCH);
        Assert.True(server.WaitForExit(20_000), "the parent was still waiting 20 s after SIGWINCH");
        Assert.True(sw.ElapsedMilliseconds >= 1_500, $"stopped after {sw.ElapsedMilliseconds} ms, before the timeout");
    }

    [Fact]
    public void ApachectlStatusShowsTheRunningServer()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        IDictionary<string, string?> env = tree.AdminEnvironment;
        env["APACHE_STATUSURL"] = $"http://127.0.0.1:{tree.Port}/server-status";
        ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "apachectl"), ["status"], env);
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Contains("Server MPM: event", r.StandardOutput);
        ProcessResult full = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "apachectl"), ["fullstatus"], env);
        Assert.True(full.ExitCode == 0, full.Combined);
        Assert.Contains("Srv", full.StandardOutput);
    }
}
