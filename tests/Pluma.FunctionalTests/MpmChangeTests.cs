using System.Diagnostics;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Changing the MPM on a restart (Apache refuses it with AH00534): a hard restart changes it at
/// once, and a change the scoreboard has no room for is refused with the reason while the running
/// MPM keeps serving. Under load by graceful restart: <see cref="GracefulDrainTests"/>.
/// </summary>
public sealed class MpmChangeTests
{
    [Fact]
    public void HardRestartChangesTheMpmAtOnce()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        Assert.Equal("event", ServerStatus.Auto(tree.Port)["ServerMPM"]);
        tree.SwitchMpm("prefork");
        ProcessResult r = Pluma.OnTree(tree, "-k", "restart");
        Assert.True(r.ExitCode == 0, r.Combined);
        WaitFor(() => TryMpm(tree.Port) == "prefork", () => "server-status to say prefork\n" + ProcFs.DescribeForFailure(server.Pid) + tree.ErrorLog);
        Assert.Contains("AH00494: SIGHUP received.  Attempting to restart", tree.ErrorLog);
        Assert.Contains("PL00400: changing the MPM from event to prefork: generation 1 runs mpm_prefork", tree.ErrorLog);
        Assert.Contains("AH00163: Pluma/0.1.0 (Unix) configured -- resuming normal operations", tree.ErrorLog);
    }

    [Fact]
    public void AnMpmTheScoreboardHasNoRoomForIsRefusedWithTheReasonAndTheRunningMpmServesOn()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        // 300 process slots: more than the 256 the scoreboard of this run was made with.
        tree.WriteConf("mods-available/mpm_prefork.conf", "ServerLimit 300\nMaxRequestWorkers 300\n");
        tree.SwitchMpm("prefork");
        ProcessResult r = Pluma.OnTree(tree, "-k", "graceful");
        Assert.True(r.ExitCode == 0, r.Combined);
        WaitFor(() => ServerStatus.Auto(tree.Port)["ParentServerMPMGeneration"] == "1", () => "generation 1\n" + tree.ErrorLog);
        Assert.Contains(
            "AH00534: pluma: Configuration error: The MPM cannot be changed during restart. (mpm_prefork needs ServerLimit 300 and ThreadLimit 1; " +
            "the scoreboard of this run has room for 256 processes of 64 threads; stop and start the server to change it; mpm_event stays in force)",
            tree.ErrorLog);
        Assert.DoesNotContain("PL00400", tree.ErrorLog);
        Assert.Equal("event", ServerStatus.Auto(tree.Port)["ServerMPM"]);
        Assert.False(server.HasExited);
    }

    private static string? TryMpm(int port)
    {
        try
        {
            return ServerStatus.Auto(port)["ServerMPM"];
        }
        catch (Exception e) when (e is AggregateException or System.Net.Http.HttpRequestException)
        {
            // The hard restart stopped every child: the request waited for new ones, or failed.
            return null;
        }
    }

    private static bool Try(Func<bool> condition, Func<string> what)
    {
        try
        {
            return condition();
        }
        catch (Exception e) when (e is AggregateException or System.Net.Http.HttpRequestException)
        {
            Assert.Fail($"{e.GetBaseException().Message} while waiting for {what()}");
            return false;
        }
    }

    private static void WaitFor(Func<bool> condition, Func<string> what)
    {
        var sw = Stopwatch.StartNew();
        while (!Try(condition, what))
        {
            if (sw.ElapsedMilliseconds >= 60_000)
            {
                Assert.Fail("timed out waiting for " + what());
            }

            Thread.Sleep(100);
        }
    }
}
