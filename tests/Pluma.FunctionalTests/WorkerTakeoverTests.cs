using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// worker's slot takeover on the real binary (server/mpm/worker/worker.c,
/// perform_idle_server_maintenance and start_threads): with room for one child
/// only, a graceful restart while a slow request holds a thread of the old child starts the
/// new child in the same slot; it runs the threads the old one has left and gets the last one
/// once the old request is done.
/// </summary>
public sealed class WorkerTakeoverTests
{
    private const int ThreadsPerChild = 4;

    [Fact]
    public void NewChildTakesOverTheSlotOfAStoppingChildAndGainsItsLastThreadWhenTheOldRequestEnds()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("worker");
        // MaxRequestWorkers = ThreadsPerChild: slot 0 is the only one worker may use.
        tree.AppendToMainConfig($"StartServers 1\nThreadsPerChild {ThreadsPerChild}\nMaxRequestWorkers {ThreadsPerChild}\nMinSpareThreads 1\nMaxSpareThreads 8\nLogLevel warn mpm_worker:debug");
        using var server = PlumaServer.Start(tree);
        int old = Poll.Until(() => ProcFs.Children(server.Pid), pids => pids.Count == 1, "the first child")[0];
        Poll.Until(() => Workers(old), n => n == ThreadsPerChild, "the first child's workers");

        // A request whose head never ends holds one of the old child's threads (R).
        using var slow = new RawHttp(tree.Port);
        slow.Send("GET / HTTP/1.1\r\nHost: localhost\r\n");
        Poll.Until(() => Slot0(tree.Port).Count(c => c == 'R'), n => n == 1, "the slow request in the scoreboard");

        server.Signal(NativeSignals.SIGUSR1);
        int newer = Poll.Until(() => ProcFs.Children(server.Pid).FirstOrDefault(pid => pid != old), pid => pid != 0, "a new child");
        Assert.Equal("0", ProcFs.EnvironmentVariable(newer, "PLUMA_MPM_SLOT"));
        Assert.Equal("0", ProcFs.EnvironmentVariable(old, "PLUMA_MPM_SLOT"));
        Poll.Until(() => Workers(newer), n => n == ThreadsPerChild - 1, "the new child's first workers");
        Assert.Contains(old, ProcFs.Children(server.Pid));
        // The start thread looks again every second: still only three while the request runs.
        Thread.Sleep(1500);
        Assert.Equal(ThreadsPerChild - 1, Workers(newer));
        string letters = Slot0(tree.Port);
        Assert.Equal(1, letters.Count(c => c == 'R'));
        Assert.DoesNotContain('.', letters);
        Assert.Contains($"AH00263: pid {newer} taking over scoreboard slot from {old} (quiescing)", tree.ErrorLog);

        // The old child finishes its request, leaves, and the new child starts its last thread.
        slow.Send("\r\n");
        Assert.Equal(200, slow.ReadResponse().Status);
        Poll.Until(() => ProcFs.Children(server.Pid).Count, n => n == 1, "the old child to leave");
        Assert.Equal([newer], ProcFs.Children(server.Pid));
        Poll.Until(() => Workers(newer), n => n == ThreadsPerChild, "the new child's last worker");
        // Four threads of the new child: this status request and three idle ones.
        Assert.Equal("W___", string.Concat(Slot0(tree.Port).Order()));
    }

    private static int Workers(int pid) => ProcFs.ThreadNames(pid).Count(n => n == "mpm-worker");

    /// <summary>The scoreboard letters of slot 0 (this status request is one of them, W).</summary>
    private static string Slot0(int port) => ServerStatus.Auto(port)["Scoreboard"][..ThreadsPerChild];
}
