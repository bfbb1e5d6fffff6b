using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// A threaded child starts its listener right after its first worker thread and the other
/// workers after it (WorkerChild and EventChild StartThreads): a request sent the moment the
/// server starts is answered, and the child still ends with ThreadsPerChild workers, all idle
/// in server-status as before (the status request itself the one busy).
/// </summary>
public sealed class ThreadedStartOrderTests
{
    private const int ThreadsPerChild = 64;

    [Theory]
    [InlineData("worker")]
    [InlineData("event")]
    public void ARequestAnsweredWhileTheWorkersStartLeavesThreadsPerChildIdleWorkers(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.WriteConf($"mods-available/mpm_{mpm}.conf", $"""
            StartServers            1
            ServerLimit             1
            ThreadLimit             {ThreadsPerChild}
            ThreadsPerChild         {ThreadsPerChild}
            MinSpareThreads         1
            MaxSpareThreads         {ThreadsPerChild}
            MaxRequestWorkers       {ThreadsPerChild}
            MaxConnectionsPerChild  0
            """);
        System.IO.File.WriteAllText(System.IO.Path.Combine(tree.DocumentRoot, "first.txt"), "first");
        using var server = PlumaServer.Start(tree);

        // The port is the parent's: the request waits in the backlog until the child's listener takes it.
        using (var first = new RawHttp(tree.Port))
        {
            first.Send("GET /first.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, first.ReadResponse().Status);
        }

        int child = Poll.Until(() => ProcFs.Children(server.Pid), c => c.Count == 1, "the child")[0];
        Poll.Until(() => ProcFs.ThreadNames(child).Count(n => n == "mpm-worker"), n => n == ThreadsPerChild, "the child's workers");
        Dictionary<string, string> status = Poll.Until(
            () => ServerStatus.Auto(tree.Port),
            s => s.Int("IdleWorkers") == ThreadsPerChild - 1,
            "every worker idle in server-status");
        Assert.Equal(1, status.Int("BusyWorkers"));
        Assert.Equal(ThreadsPerChild, status["Scoreboard"].Count(c => c is '_' or 'W'));
        Assert.Equal(1, ProcFs.ThreadNames(child).Count(n => n == "mpm-listener"));
        Assert.Equal([child], ProcFs.Children(server.Pid));
    }
}
