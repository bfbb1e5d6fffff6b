using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Pluma.FunctionalTests;

/// <summary>
/// Graceful restart and graceful stop under keep-alive load, on each MPM: a draining child
/// answers the next request on each kept-alive connection with <c>Connection: close</c> and
/// never closes one on which a request may be on its way, so not one request fails. The load
/// (<see cref="KeepAliveLoad"/>) retries nothing, so every lost request is counted. Bounded in
/// requests and time; nothing asserts a duration (the machine may be loaded).
/// </summary>
public sealed class GracefulDrainTests
{
    private const int Connections = 8;
    private const int MaxRequests = 400_000;
    private const int StepTimeoutMs = 90_000;
    private readonly ITestOutputHelper _output;

    public GracefulDrainTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Mpms => new() { "event", "worker", "prefork" };

    [Theory]
    [MemberData(nameof(Mpms))]
    public void TwoGracefulRestartsUnderKeepAliveLoadFailNoRequest(string mpm)
    {
        using var tree = DrainTree(mpm);
        using var server = PlumaServer.Start(tree);
        using var load = StartLoad(tree);
        Assert.True(load.WaitForProgress(500, StepTimeoutMs), "no load before the restarts: " + load.Summary);

        for (int generation = 1; generation <= 2; generation++)
        {
            if (generation == 1)
            {
                // apachectl's way (the pid file), then the signal itself.
                ProcessResult r = Pluma.OnTree(tree, "-k", "graceful");
                Assert.True(r.ExitCode == 0, r.Combined);
            }
            else
            {
                server.Signal(NativeSignals.SIGUSR1);
            }

            WaitFor(() => ResumingLines(tree) == generation + 1, $"generation {generation} to start", load);
            // The old generation drains while the load goes on, and exits.
            WaitFor(() => ProcFs.ChildrenOlderThan(server.Pid, generation) == 0, $"the children before generation {generation} to exit", load);
            Assert.True(load.WaitForProgress(500, StepTimeoutMs), $"no load after generation {generation} started: " + load.Summary);
        }

        load.Dispose();
        _output.WriteLine(mpm + ": " + load.Summary);
        Assert.True(load.Failed == 0, load.Summary);
        // Each draining child told its clients to go (nothing else closes: MaxKeepAliveRequests 0).
        Assert.True(load.Closes > 0, "no Connection: close seen: " + load.Summary);
        Assert.DoesNotContain("AH00045", tree.ErrorLog);
    }

    [Theory]
    [MemberData(nameof(Mpms))]
    public void GracefulStopUnderKeepAliveLoadAnswersEveryRequestAndClosesEachConnectionAfterAResponse(string mpm)
    {
        using var tree = DrainTree(mpm);
        using var server = PlumaServer.Start(tree);
        using var load = StartLoad(tree);
        Assert.True(load.WaitForProgress(500, StepTimeoutMs), "no load before the stop: " + load.Summary);
        // A connection still in the listen backlog when the listeners close is reset by the
        // kernel (as with Apache): the stop is tested on connections a child has taken (prefork
        // may still be starting children for the last ones).
        Assert.True(load.WaitForEveryConnectionServed(StepTimeoutMs), "not every connection was served before the stop: " + load.Summary);
        // Every thread holds its one connection since the start (MaxKeepAliveRequests 0): it must
        // end with a response that says Connection: close, never with a connection closed under it.
        load.EndOnClose();
        ProcessResult r = Pluma.OnTree(tree, "-k", "graceful-stop");
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.True(load.WaitForEnd(StepTimeoutMs), "the load did not end after graceful-stop: " + load.Summary);
        Assert.True(server.WaitForExit(StepTimeoutMs), "the server did not exit after graceful-stop: " + load.Summary);
        _output.WriteLine(mpm + ": " + load.Summary);
        Assert.True(load.Failed == 0, load.Summary);
        Assert.Equal(load.Connections, load.EndedByClose);
        Assert.DoesNotContain("AH00045", tree.ErrorLog);
    }

    [Fact]
    public void GracefulRestartsChangeTheMpmEventPreforkWorkerEventUnderKeepAliveLoadFailingNoRequest()
    {
        using var tree = DrainTree("event");
        using var server = PlumaServer.Start(tree);
        using var load = StartLoad(tree);
        Assert.True(load.WaitForProgress(500, StepTimeoutMs), "no load before the restarts: " + load.Summary);
        // An idle keep-alive connection of generation 0: it keeps its event child draining while
        // generation 1 runs prefork, so server-status shows both.
        using var idle = new RawHttp(tree.Port, timeoutMs: StepTimeoutMs);
        idle.Send("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, idle.ReadResponse().Status);
        string[] order = ["event", "prefork", "worker", "event"];
        for (int generation = 1; generation < order.Length; generation++)
        {
            string mpm = order[generation];
            // a2dismod mpm_X && a2enmod mpm_Y && apachectl graceful
            tree.SwitchMpm(mpm);
            ProcessResult r = Pluma.OnTree(tree, "-k", "graceful");
            Assert.True(r.ExitCode == 0, r.Combined);
            WaitFor(() => ResumingLines(tree) == generation + 1, $"generation {generation} ({mpm}) to start", load);
            Assert.Contains($"PL00400: changing the MPM from {order[generation - 1]} to {mpm}: generation {generation} runs mpm_{mpm}", tree.ErrorLog);
            WaitFor(() => ServerStatus.Auto(tree.Port)["ServerMPM"] == mpm, $"server-status to say {mpm}", load);
            if (generation == 1)
            {
                // A worker row of each generation (Srv is slot-generation).
                string page = StatusPage(tree.Port);
                Assert.Contains("-0</b></td><td>", page, StringComparison.Ordinal);
                Assert.Contains("-1</b></td><td>", page, StringComparison.Ordinal);
                // The idle connection was not closed under its client: its next request is
                // answered, with Connection: close, by the old generation's event child.
                idle.Send("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
                HttpResponseText last = idle.ReadResponse();
                Assert.Equal(200, last.Status);
                Assert.Equal("close", last.Header("Connection"));
            }
            // The old generation drains under load and exits; every child left runs the new MPM.
            WaitFor(() => ProcFs.ChildrenOlderThan(server.Pid, generation) == 0, $"the children before generation {generation} to exit", load);
            Assert.All(ProcFs.Children(server.Pid).Select(SettingsOf).OfType<string>(), v => Assert.StartsWith($"v1;{mpm};", v, StringComparison.Ordinal));
            Assert.True(load.WaitForProgress(500, StepTimeoutMs), $"no load after the change to {mpm}: " + load.Summary);
        }

        load.Dispose();
        _output.WriteLine("event -> prefork -> worker -> event: " + load.Summary);
        Assert.True(load.Failed == 0, load.Summary);
        Assert.DoesNotContain("AH00534", tree.ErrorLog);
        Assert.DoesNotContain("AH00045", tree.ErrorLog);
    }

    private static string StatusPage(int port)
    {
        using var client = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        return client.GetStringAsync($"http://127.0.0.1:{port}/server-status").Result;
    }

    /// <summary>The settings a child was started with (its MPM first), or null once it is gone.</summary>
    private static string? SettingsOf(int pid)
    {
        try
        {
            return ProcFs.EnvironmentVariable(pid, "PLUMA_MPM_SETTINGS");
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// A tree on <paramref name="mpm"/> where a kept-alive connection only ends because its child
    /// drains: no MaxKeepAliveRequests limit, and a KeepAliveTimeout far above any stall of a busy
    /// client thread on a loaded machine.
    /// </summary>
    private static TempConfTree DrainTree(string mpm)
    {
        var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig("MaxKeepAliveRequests 0\nKeepAliveTimeout 30");
        return tree;
    }

    private static KeepAliveLoad StartLoad(TempConfTree tree)
    {
        long length = new FileInfo(Path.Combine(tree.DocumentRoot, "index.html")).Length;
        var load = new KeepAliveLoad(tree.Port, "/index.html", length, Connections, MaxRequests);
        load.Start();
        return load;
    }

    private static int ResumingLines(TempConfTree tree) => Regex.Count(tree.ErrorLog, "resuming normal operations");


    private static void WaitFor(Func<bool> condition, string what, KeepAliveLoad load)
    {
        long deadline = Environment.TickCount64 + StepTimeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}: {load.Summary}");
            Thread.Sleep(50);
        }
    }
}
