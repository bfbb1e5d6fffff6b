using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>The test harness's own promise: disposing a <see cref="PlumaServer"/> leaves no server of its tree running.</summary>
public sealed class PlumaServerDisposeTests
{
    [Fact]
    public void DisposeStopsTheDaemonAGracefulStartedAfterTheParentDied()
    {
        using var tree = new TempConfTree();
        var server = PlumaServer.Start(tree);
        int first = server.Pid;
        int daemon = 0;
        try
        {
            server.Signal(NativeSignals.SIGKILL);
            Assert.True(server.WaitForExit(10_000), "the parent did not die of SIGKILL");
            WaitUntil(() => !Answers(tree.Port), "the children of the killed parent still answer");

            // "-k graceful" with nothing running starts a new daemon, which this object did not start.
            ProcessResult graceful = Pluma.OnTree(tree, "-k", "graceful");
            Assert.True(graceful.ExitCode == 0, graceful.Combined);
            WaitUntil(() => ReadPid(tree) is int p && p != first && Answers(tree.Port), "the daemon started by -k graceful does not serve");
            daemon = ReadPid(tree)!.Value;
        }
        finally
        {
            server.Dispose();
        }

        WaitUntil(() => ProcFs.CommandLine(daemon).Length == 0 || ProcFs.IsZombie(daemon), $"the daemon {daemon} outlived PlumaServer.Dispose");
        Assert.False(Answers(tree.Port));
    }

    private static int? ReadPid(TempConfTree tree)
    {
        try
        {
            return int.TryParse(File.ReadAllText(tree.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool Answers(int port)
    {
        try
        {
            using var c = new RawHttp(port, timeoutMs: 2_000);
            c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            return c.ReadResponse().Status > 0;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void WaitUntil(Func<bool> condition, string failure)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > 30_000)
            {
                Assert.Fail(failure);
            }

            Thread.Sleep(100);
        }
    }
}
