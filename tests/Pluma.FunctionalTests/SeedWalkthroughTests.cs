using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The seed's walkthrough, end to end, with the real tools on a private copy of the tree:
/// apachectl -V says event → a2enmod mpm_prefork is refused → a2dismod mpm_event →
/// a2enmod mpm_prefork → restart → -V says prefork and /proc shows 1 + 5 → worker → event.
/// </summary>
public sealed class SeedWalkthroughTests
{
    [Fact]
    public void AdministratorSwitchesMpmsAsTheSeedDescribes()
    {
        using var tree = new TempConfTree();
        IDictionary<string, string?> env = tree.AdminEnvironment;
        try
        {
            Start(tree, env);
            ExpectMpm(tree, env, "event", children: 2);

            ProcessResult refused = Tool("a2enmod", env, "mpm_prefork");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("Considering conflict mpm_event for mpm_prefork:", refused.StandardOutput);
            Assert.Contains("ERROR: Module mpm_event is enabled - cannot proceed due to conflicts. It needs to be disabled first!", refused.StandardError);

            SwitchTo(tree, env, from: "event", to: "prefork");
            ExpectMpm(tree, env, "prefork", children: 5);

            SwitchTo(tree, env, from: "prefork", to: "worker");
            ExpectMpm(tree, env, "worker", children: 2);

            SwitchTo(tree, env, from: "worker", to: "event");
            ExpectMpm(tree, env, "event", children: 2);
        }
        finally
        {
            Tool("apachectl", env, "stop");
            WaitForExit(tree);
        }
    }

    private static void SwitchTo(TempConfTree tree, IDictionary<string, string?> env, string from, string to)
    {
        ProcessResult dis = Tool("a2dismod", env, "mpm_" + from);
        Assert.Equal(0, dis.ExitCode);
        Assert.Contains($"Module mpm_{from} disabled.", dis.StandardOutput);
        ProcessResult en = Tool("a2enmod", env, "mpm_" + to);
        Assert.Equal(0, en.ExitCode);
        Assert.Contains($"Enabling module mpm_{to}.", en.StandardOutput);
        Assert.Contains("To activate the new configuration, you need to run:", en.StandardOutput);

        // "service pluma restart" is stop then start: an MPM change needs a full restart.
        Assert.Equal(0, Tool("apachectl", env, "stop").ExitCode);
        WaitForExit(tree);
        Start(tree, env);
    }

    private static void Start(TempConfTree tree, IDictionary<string, string?> env)
    {
        ProcessResult start = Tool("apachectl", env, "start");
        Assert.True(start.ExitCode == 0, start.Combined);
        Assert.True(ParentPid(tree) > 0, "no pid file after apachectl start");
    }

    private static void ExpectMpm(TempConfTree tree, IDictionary<string, string?> env, string mpm, int children)
    {
        ProcessResult v = Tool("apachectl", env, "-V");
        Assert.Equal(0, v.ExitCode);
        Assert.Contains($"Server MPM:     {mpm}\n", v.StandardOutput);
        int parent = ParentPid(tree);
        var sw = Stopwatch.StartNew();
        while (ProcFs.Children(parent).Count < children && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(100);
        }

        Assert.Equal(children, ProcFs.Children(parent).Count);
        using var c = new RawHttp(tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.Equal(mpm, ServerStatus.Auto(tree.Port)["ServerMPM"]);
    }

    private static int ParentPid(TempConfTree tree)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 10_000)
        {
            if (File.Exists(tree.PidFile) && int.TryParse(File.ReadAllText(tree.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                return pid;
            }

            Thread.Sleep(50);
        }

        return 0;
    }

    private static void WaitForExit(TempConfTree tree)
    {
        var sw = Stopwatch.StartNew();
        while (File.Exists(tree.PidFile) && sw.ElapsedMilliseconds < 15_000)
        {
            Thread.Sleep(100);
        }

        // The parent removes the pid file last; give the listeners a moment to close.
        Thread.Sleep(200);
    }

    private static ProcessResult Tool(string name, IDictionary<string, string?> env, params string[] args) =>
        ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", name), args, env);
}
