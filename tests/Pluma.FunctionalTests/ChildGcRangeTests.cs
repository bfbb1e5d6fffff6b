using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Children reserve a 4 GiB range for their GC heap (ServerCommand.LimitChildGcRegionRange):
/// the runtime's default range (256 GiB here) costs every child about 50 KiB of private
/// bookkeeping. An administrator's own range or heap limit is kept as set, and a child with the
/// range still serves a response larger than its GC budget.
/// </summary>
public sealed class ChildGcRangeTests
{
    private const string Range = "DOTNET_GCRegionRange";

    [Fact]
    public void ChildrenGetAFourGibRangeAndServeALargeFile()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        // 8 MiB: more than a prefork child's 1 MiB gen0 budget, so it is served across collections.
        System.IO.File.WriteAllBytes(System.IO.Path.Combine(tree.DocumentRoot, "large.bin"), new byte[8 << 20]);
        using var server = PlumaServer.Start(tree);
        IReadOnlyList<int> children = WaitForChildren(server.Pid);
        Assert.All(children, c => Assert.Equal("100000000", ProcFs.EnvironmentVariable(c, Range)));

        ProcessResult curl = ProcessRunner.Run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", $"http://127.0.0.1:{tree.Port}/large.bin"]);
        Assert.Equal("200 " + (8 << 20), curl.StandardOutput);
    }

    [Fact]
    public void AnAdministratorsRangeIsKept()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        using var server = PlumaServer.StartUnderShell(tree, "export " + Range + "=40000000");
        Assert.All(WaitForChildren(server.Pid), c => Assert.Equal("40000000", ProcFs.EnvironmentVariable(c, Range)));
    }

    [Fact]
    public void AHeapHardLimitGetsNoRange()
    {
        // The runtime sizes the range from the limit; a range set beside it would override that.
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        using var server = PlumaServer.StartUnderShell(tree, "export DOTNET_GCHeapHardLimit=20000000");
        Assert.All(WaitForChildren(server.Pid), c =>
        {
            Assert.Equal("20000000", ProcFs.EnvironmentVariable(c, "DOTNET_GCHeapHardLimit"));
            Assert.Null(ProcFs.EnvironmentVariable(c, Range));
        });
    }

    private static IReadOnlyList<int> WaitForChildren(int parent)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<int> children = ProcFs.Children(parent);
        while (children.Count == 0 && watch.ElapsedMilliseconds < 30_000)
        {
            Thread.Sleep(100);
            children = ProcFs.Children(parent);
        }

        Assert.NotEmpty(children);
        return children.ToList();
    }
}
