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
/// What both servers log as they start and after a graceful restart (the MPM's run hook:
/// "resuming normal operations", "Server built" at info, ap_log_command_line's AH00094), and
/// server-status's generations after it, against Debian's apache2 on LogLevel info.
/// </summary>
public sealed partial class DifferentialStartupLogTests
{
    [Fact]
    public void StartAndGracefulRestartLogWhatApacheLogs()
    {
        using var servers = new DifferentialServers(tree => tree.AppendToMainConfig("LogLevel info"));
        Graceful(ReadPid(servers.ApacheTree));
        Graceful(ReadPid(servers.PlumaTree));
        WaitForGeneration(servers.ApachePort, "1");
        WaitForGeneration(servers.PlumaPort, "1");

        string apache = StartupLines(servers.ApacheTree.ErrorLog);
        string pluma = StartupLines(servers.PlumaTree.ErrorLog);
        Assert.True(apache == pluma, $"--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");

        // The command line is the parent's own argv, as the kernel keeps it.
        int parent = ReadPid(servers.PlumaTree);
        string argv = string.Join(' ', ProcFs.CommandLine(parent));
        Assert.Contains("[core:notice] [pid " + parent.ToString(CultureInfo.InvariantCulture) + ":tid " + parent.ToString(CultureInfo.InvariantCulture) + "] AH00094: Command line: '" + argv + "'", servers.PlumaTree.ErrorLog, StringComparison.Ordinal);

        foreach (string field in new[] { "ParentServerConfigGeneration", "ParentServerMPMGeneration" })
        {
            Assert.Equal(ServerStatus.Auto(servers.ApachePort)[field], ServerStatus.Auto(servers.PlumaPort)[field]);
        }
    }

    /// <summary>The start-up lines of the MPM and core, as "[module:level] AHnnnnn: text", the command and the build time named.</summary>
    private static string StartupLines(string log)
    {
        var lines = log.Split('\n')
            .Select(l => StartupLine().Match(l))
            .Where(m => m.Success)
            .Select(m => "[" + m.Groups[1].Value + "] " + m.Groups[2].Value)
            .Select(l => Regex.Replace(l, "Command line: '.*'", "Command line: 'ARGV'"))
            .Select(l => Regex.Replace(l, "Server built: .*", "Server built: BUILT"))
            .Select(l => Regex.Replace(l, @"(Apache|Pluma)/[0-9.]+ \([A-Za-z]+\)", "BANNER"));
        return string.Join('\n', lines);
    }

    private static int ReadPid(TempConfTree tree) =>
        int.Parse(File.ReadAllText(tree.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static void Graceful(int pid) => NativeSignals.Kill(pid, NativeSignals.SIGUSR1);

    private static void WaitForGeneration(int port, string generation)
    {
        var sw = Stopwatch.StartNew();
        while (ServerStatus.Auto(port)["ParentServerMPMGeneration"] != generation)
        {
            Assert.True(sw.ElapsedMilliseconds < 30_000, $"port {port} did not reach MPM generation {generation}");
            Thread.Sleep(200);
        }
    }

    [GeneratedRegex(@"\[([a-z_]+:[a-z0-9]+)\] \[pid \d+:tid \d+\] ((?:AH00489|AH00490|AH00094|AH00493|AH00163|AH00164|AH00171|AH00292|AH00293)\b.*)$")]
    private static partial Regex StartupLine();
}
