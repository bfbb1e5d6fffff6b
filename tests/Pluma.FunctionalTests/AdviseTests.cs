using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The MPM advisor on the real server: bounded load with ab, then `apachectl advise` names the
/// children's measured PSS and the peak the parent saw, and `apachectl advise --apply` writes a
/// block that -t accepts and that a graceful restart puts in force (server-status's scoreboard
/// then has the new MaxRequestWorkers slots).
/// </summary>
public sealed partial class AdviseTests
{
    [Fact]
    public void AdviceAfterLoadNamesThePeakAndThePssAndItsBlockIsWhatTheRestartedServerUses()
    {
        using var tree = new TempConfTree();
        // Room for 400 workers at first, so that the advice for 30 clients is sure to differ.
        string eventConf = Path.Combine(tree.ConfDir, "mods-available", "mpm_event.conf");
        File.WriteAllText(eventConf, File.ReadAllText(eventConf).Replace("MaxRequestWorkers       150", "MaxRequestWorkers       400", StringComparison.Ordinal));
        IDictionary<string, string?> env = tree.AdminEnvironment;
        using var server = PlumaServer.Start(tree);
        int parent = server.Pid;

        // Before any load: the advisor says so.
        ProcessResult idle = Tool("apachectl", env, "advise");
        Assert.True(idle.ExitCode == 0, idle.Combined);
        Assert.Contains("no load observed yet", idle.StandardOutput);

        // The parent samples the scoreboard once a second, and a fast request may be over between
        // two samples: three clients that send a request body a little at a time hold three
        // workers busy reading it for the whole load, so every sample sees busy workers. Each
        // sends 600 bytes every half second, more than mod_reqtimeout's MinRate needs.
        var slow = new List<RawHttp>();
        for (int i = 0; i < 3; i++)
        {
            var c = new RawHttp(tree.Port);
            c.Send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n");
            slow.Add(c);
        }

        byte[] chunk = new byte[600];
        using var stopTrickle = new CancellationTokenSource();
        Thread trickle = new(() =>
        {
            try
            {
                while (!stopTrickle.Token.WaitHandle.WaitOne(500))
                {
                    slow.ForEach(c => c.Send(chunk));
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The server ended a slow request: the samples then show fewer busy workers, and the assertion says so.
            }
        });
        trickle.Start();
        ProcessResult ab = ProcessRunner.Run("ab", ["-q", "-n", "20000", "-c", "30", $"http://127.0.0.1:{tree.Port}/"], timeoutMs: 120_000);
        Assert.True(ab.ExitCode == 0, ab.Combined);
        Assert.Contains("Failed requests:        0", ab.StandardOutput);
        // Let the parent see the tail of the load (two more samples) before the slow clients leave.
        Thread.Sleep(2500);
        stopTrickle.Cancel();
        trickle.Join();
        slow.ForEach(c => c.Dispose());

        ProcessResult advise = Tool("apachectl", env, "advise");
        string text = advise.StandardOutput;
        Assert.True(advise.ExitCode == 0, advise.Combined);
        Assert.DoesNotContain("no load observed yet", text);

        // The measured children are the parent's children, each with its PSS from smaps_rollup.
        Match children = ChildrenLine().Match(text);
        Assert.True(children.Success, text);
        IReadOnlyList<int> live = ProcFs.Children(parent);
        foreach (Match pid in ChildPid().Matches(children.Groups["list"].Value))
        {
            Assert.Contains(int.Parse(pid.Groups[1].Value, CultureInfo.InvariantCulture), live);
        }

        Assert.True(double.Parse(children.Groups["mean"].Value, CultureInfo.InvariantCulture) > 1, children.Value);
        Match peak = PeakLine().Match(text);
        Assert.True(peak.Success, text);
        Assert.True(int.Parse(peak.Groups["busy"].Value, CultureInfo.InvariantCulture) >= 1, peak.Value);
        Assert.True(int.Parse(peak.Groups["conns"].Value, CultureInfo.InvariantCulture) >= 1, peak.Value);
        foreach (string mpm in new[] { "prefork", "worker", "event" })
        {
            Assert.Matches(new Regex($"(?m)^{mpm}( \\(does not fit\\))?: uses [0-9.]+ [MG]iB at MaxRequestWorkers"), text);
        }

        Assert.Contains("    memory = ", text);
        Assert.Matches(new Regex("(?m)^Fits this load: (prefork|worker|event): "), text);

        ProcessResult apply = Tool("apachectl", env, "advise", "--apply");
        Assert.True(apply.ExitCode == 0, apply.Combined);
        Assert.Contains("PL00422: pluma -k advise: wrote the mpm_event block to ", apply.StandardOutput);
        string conf = File.ReadAllText(Path.Combine(tree.ConfDir, "mods-available", "mpm_event.conf"));
        Assert.StartsWith("# event MPM\n# StartServers: initial number of server processes to start\n", conf);
        Assert.Contains("\n# pluma -k advise: ", conf);
        int mrw = int.Parse(Regex.Match(conf, "(?m)^MaxRequestWorkers +([0-9]+)$").Groups[1].Value, CultureInfo.InvariantCulture);
        int tpc = int.Parse(Regex.Match(conf, "(?m)^ThreadsPerChild +([0-9]+)$").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(0, mrw % tpc);
        Assert.NotEqual(400, mrw);

        ProcessResult test = Pluma.OnTree(tree, "-t");
        Assert.True(test.ExitCode == 0, test.Combined);
        Assert.EndsWith("Syntax OK\n", test.StandardError);
        Assert.DoesNotMatch("AH00(49[7-9]|5[0-2][0-9])", test.StandardError);

        int oldSlots = ServerStatus.Auto(tree.Port)["Scoreboard"].Length;
        ProcessResult graceful = Tool("apachectl", env, "graceful");
        Assert.True(graceful.ExitCode == 0, graceful.Combined);
        var sw = Stopwatch.StartNew();
        int slots = -1, filled = -1;
        string last = string.Empty;
        while (sw.ElapsedMilliseconds < 20_000)
        {
            Dictionary<string, string> status = ServerStatus.Auto(tree.Port);
            string board = status["Scoreboard"];
            slots = board.Length;
            filled = board.Length - board.Count(c => c == '.');
            last = string.Join("\n", status);
            // The scoreboard shown is the new block's size (MaxRequestWorkers). On a loaded machine
            // the new generation's children may start in slots beyond the old children's, which were
            // still finishing (event uses any free slot below ServerLimit, as Apache's does), and it
            // then reaches to them: still whole children, and smaller than the old block's.
            if (status["ParentServerMPMGeneration"] == "1" && filled > 0 && (slots == mrw || (slots % tpc == 0 && slots < oldSlots)))
            {
                break;
            }

            Thread.Sleep(200);
        }

        Assert.True(slots == mrw || (slots % tpc == 0 && slots < oldSlots), $"MaxRequestWorkers {mrw}, {filled} of {slots} entries live (before: {oldSlots})\n{last}\n{tree.ErrorLog}");
        // No clamp of event_check_config (AH00497-AH00520) had to touch the advice.
        Assert.DoesNotMatch("AH00(49[7-9]|5[0-2][0-9])", tree.ErrorLog);
        Assert.False(server.HasExited);
    }

    [Fact]
    public void WithoutARunningServerAdviseSaysSo()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Tool("apachectl", tree.AdminEnvironment, "advise");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("pluma (no pid file) not running", r.StandardError);
    }

    [Fact]
    public void AnUnknownOptionIsRefusedWithItsId()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-k", "advise", "--mpm", "winnt");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PL00421: pluma -k advise: cannot use '--mpm' winnt", r.StandardError);
    }

    [GeneratedRegex(@"(?m)^  children: [0-9]+ of mpm_event \(25 threads each\), PSS mean (?<mean>[0-9.]+) MiB, largest [0-9.]+ MiB \((?<list>[^)]*)\); parent PSS [0-9.]+ MiB$")]
    private static partial Regex ChildrenLine();

    [GeneratedRegex(@"([0-9]+) [0-9.]+ MiB")]
    private static partial Regex ChildPid();

    [GeneratedRegex(@"(?m)^  load: peak (?<busy>[0-9]+) busy workers at [^,]+, peak (?<conns>[0-9]+) connections, keep-alive share [0-9]+%, [0-9]+ s observed")]
    private static partial Regex PeakLine();

    private static ProcessResult Tool(string name, IDictionary<string, string?> env, params string[] args) =>
        ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", name), args, env);
}
