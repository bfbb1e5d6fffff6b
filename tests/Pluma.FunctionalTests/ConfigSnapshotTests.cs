using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// A child reads the configuration its generation was started with, never files edited since
/// (Apache's children are forked with the parent's parsed configuration): the parent hands them
/// the snapshot of what it read.
/// </summary>
public sealed class ConfigSnapshotTests
{
    [Fact]
    public void AChildSpawnedAfterAnEditServesTheRunningConfigurationNotTheEditedFiles()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree);
        IReadOnlyList<int> children = WaitForChildren(server.Pid, 2);

        // An edit no restart applied: a broken main file, and the MPM switched under it.
        File.AppendAllText(Path.Combine(tree.ConfDir, "apache2.conf"), "\nThisIsNotADirective at all\n");
        tree.SwitchMpm("prefork");

        // The parent replaces a child that died: the new one must read the snapshot, not the files.
        NativeSignals.Kill(children[0], NativeSignals.SIGKILL);
        var sw = Stopwatch.StartNew();
        IReadOnlyList<int> now = children;
        while ((now.Contains(children[0]) || now.Count < 2) && sw.ElapsedMilliseconds < 20_000)
        {
            Thread.Sleep(100);
            now = ProcFs.Children(server.Pid);
        }

        Assert.True(!now.Contains(children[0]) && now.Count == 2, $"children {string.Join(' ', now)}\n{tree.ErrorLog}");
        int spawned = now.Single(pid => !children.Contains(pid));
        for (int i = 0; i < 20; i++)
        {
            using var raw = new RawHttp(tree.Port);
            raw.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", raw.ReadToEnd(), StringComparison.Ordinal);
        }

        Assert.True(Directory.Exists($"/proc/{spawned}"), "the child started after the edit exited\n" + tree.ErrorLog);
        Assert.DoesNotContain("ThisIsNotADirective", tree.ErrorLog);
        Assert.DoesNotContain("AH00534", tree.ErrorLog);
        Assert.Equal("event", ServerStatus.Auto(tree.Port)["ServerMPM"]);
    }

    private static IReadOnlyList<int> WaitForChildren(int pid, int count)
    {
        var sw = Stopwatch.StartNew();
        IReadOnlyList<int> children = ProcFs.Children(pid);
        while (children.Count < count && sw.ElapsedMilliseconds < 15_000)
        {
            Thread.Sleep(50);
            children = ProcFs.Children(pid);
        }

        return children;
    }
}
