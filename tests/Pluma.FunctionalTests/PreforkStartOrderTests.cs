using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// A prefork start execs its StartServers children one per CPU first and the rest once one of
/// those serves (Common/MpmParent.StartupOrder): the first answer waits for one child's start,
/// not for all of them sharing the CPUs. What an admin sees shortly after the start is the same
/// as before: every StartServers child running, in server-status; a graceful restart still
/// replaces them all.
/// </summary>
public sealed partial class PreforkStartOrderTests
{
    // More children than CPUs, so that some wait for the first batch.
    private static readonly int Children = Environment.ProcessorCount + 2;

    // StartServers and spare bounds that keep maintenance from adding or stopping any child: one idle child is
    // enough, and prefork raises MaxSpareServers to MinSpareServers + 1, so MinSpareServers =
    // MaxSpareServers = Children would let a child that maintenance adds while a slow (loaded)
    // start is not ready yet stay for good, one over Children.
    private static readonly string MpmBlock = $"StartServers {Children}\nMinSpareServers 1\nMaxSpareServers {Children}\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n";

    [Fact]
    public void PreforkStartsOneChildPerCpuFirstThenAllStartServersRunInServerStatus()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        tree.WriteConf("mods-available/mpm_prefork.conf", MpmBlock);
        tree.AppendToMainConfig("LogLevel warn mpm_prefork:debug");
        using var server = PlumaServer.Start(tree);

        Assert.True(Poll.Within(() => AliveWorkers(tree.Port) == Children && ProcFs.Children(server.Pid).Count == Children, 20_000), $"not {Children} children in server-status\n{tree.ErrorLog}");

        // The debug lines say the order: the first batch, PL00515, then the others.
        string log = tree.ErrorLog;
        int release = log.IndexOf("PL00515: starting the other 2 of StartServers' children", StringComparison.Ordinal);
        Assert.True(release > 0, "no PL00515 line:\n" + log);
        Assert.Equal(Environment.ProcessorCount, ChildStarted().Count(log[..release]));
        Assert.Equal(2, ChildStarted().Count(log[release..]));
    }

    [Fact]
    public void PreforkGracefulRestartAfterTheStartReplacesEveryChild()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        tree.WriteConf("mods-available/mpm_prefork.conf", MpmBlock);
        using var server = PlumaServer.Start(tree);
        Assert.True(Poll.Within(() => ProcFs.Children(server.Pid).Count == Children, 20_000), tree.ErrorLog);
        int[] before = [.. ProcFs.Children(server.Pid)];

        server.Signal(NativeSignals.SIGUSR1);
        Assert.True(
            Poll.Within(() => ProcFs.Children(server.Pid) is { } now && now.Count == Children && !now.Intersect(before).Any() && AliveWorkers(tree.Port) == Children, 30_000),
            $"children {string.Join(',', ProcFs.Children(server.Pid))} (before: {string.Join(',', before)})\n{tree.ErrorLog}");
    }

    /// <summary>Scoreboard entries of running children (idle or busy) in server-status.</summary>
    private static int AliveWorkers(int port)
    {
        try
        {
            var fields = ServerStatus.Auto(port);
            return fields.Int("IdleWorkers") + fields.Int("BusyWorkers");
        }
        catch (Exception e) when (e is System.Net.Http.HttpRequestException or AggregateException)
        {
            return -1;
        }
    }

    [GeneratedRegex(@"Child \d+ started: pid \d+, gen \d+")]
    private static partial Regex ChildStarted();
}
