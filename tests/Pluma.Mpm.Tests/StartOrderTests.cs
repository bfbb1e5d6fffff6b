using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Mpm.Common;
using Pluma.Testing;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The order of a start's children (Common/MpmParent.StartupOrder): one per CPU (at least one
/// per listener bucket) first, the rest once one of those serves or the hold is over, so all
/// StartServers children run soon whatever happens to the first ones.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class StartOrderTests
{
    private static readonly int Children = Environment.ProcessorCount + 2;

    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(1, 1, 1)]
    [InlineData(4, 2, 4)]
    [InlineData(1, 8, 8)]
    public void TheFirstBatchIsOneChildPerCpuAndOnePerBucket(int buckets, int cpus, int batch) =>
        Assert.Equal(batch, MpmParent.FirstBatchSize(buckets, cpus));

    [Theory]
    [InlineData("prefork")]
    [InlineData("event")]
    public void WhenTheFirstChildrenAreSlowTheRestStartOnceTheHoldIsOver(string mpm)
    {
        // Every child takes 3 s to get ready: none of the first batch serves within the hold.
        using var server = MpmTestServer.Start(mpm, "--child-delay=3000", "--loglevel=debug", $"StartServers={Children}", "MaxRequestWorkers=" + (mpm == "prefork" ? 150 : Children * 25),
            mpm == "prefork" ? $"MinSpareServers={Children}" : $"MaxSpareThreads={Children * 25}", mpm == "prefork" ? $"MaxSpareServers={Children}" : "MinSpareThreads=25");
        Assert.True(MpmTestServer.WaitUntil(() => server.Children().Count == Children, 15_000), $"{server.Children().Count} children\n{server.ErrorLog}");

        string log = server.ErrorLog;
        Match release = Release().Match(log);
        Assert.True(release.Success, "no PL00515 line:\n" + log);
        Assert.Equal("2", release.Groups["n"].Value);
        MatchCollection first = ChildStarted().Matches(log[..release.Index]);
        Assert.Equal(Environment.ProcessorCount, first.Count);
        MatchCollection rest = ChildStarted().Matches(log[release.Index..]);
        Assert.Equal(2, rest.Count);

        // The rest waited out the hold (timestamps of the first child's line and of the release),
        // and no longer than it takes a loaded machine to notice.
        double waited = Seconds(release.Value) - Seconds(first[0].Value);
        Assert.InRange(waited, (MpmParent.StartupHoldMs - 20) / 1000.0, 10.0);
    }

    [Fact]
    public void AGracefulRestartDuringTheHoldStartsStartServersChildrenNotMore()
    {
        // MinSpareServers 1: the check below asks a child for a page, and with MinSpareServers at
        // StartServers the busy child leaves one spare short, so maintenance adds one (and prefork
        // keeps MaxSpareServers above MinSpareServers, so it stays): StartServers + 1 children.
        using var server = MpmTestServer.Start("prefork", "--child-delay=2000", $"StartServers={Children}", "MinSpareServers=1", $"MaxSpareServers={Children}");
        // The pid file is written once the parent's signal handlers are in place.
        Assert.True(MpmTestServer.WaitUntil(() => System.IO.File.Exists(server.Dir.Combine("pluma.pid")), 15_000), server.ErrorLog);
        server.Signal(NativeSignals.SIGUSR1);

        // The held children were dropped: the new generation is StartServers children, one for
        // each old one and the rest at the next tick, never more at any moment.
        int most = 0;
        long until = Environment.TickCount64 + 5_000;
        while (Environment.TickCount64 < until)
        {
            most = Math.Max(most, server.Children().Count);
            Thread.Sleep(20);
        }

        Assert.True(most <= Children, $"{most} children at once after the restart, StartServers {Children}\n{server.ErrorLog}");
        Assert.True(MpmTestServer.WaitUntil(() => ServesFrom(server, Children), 20_000), $"{server.Children().Count} children\n{server.ErrorLog}");
    }

    // Each request is answered by some child; after enough of them every running child is ready.
    private static bool ServesFrom(MpmTestServer server, int children)
    {
        try
        {
            return server.Get().StartsWith("pid=", StringComparison.Ordinal) && server.Children().Count == children;
        }
        catch (Exception e) when (e is System.IO.IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    // The error log's time of day, in seconds: "[Mon Dec 07 19:16:23.014714 2026]".
    private static double Seconds(string line)
    {
        Match m = Time().Match(line);
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 3600) + (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 60)
            + double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^.*PL00515: starting the other (?<n>\d+) of StartServers' children: the first \d+ did not serve within \d+ ms$", RegexOptions.Multiline)]
    private static partial Regex Release();

    [GeneratedRegex(@"^.*Child \d+ started: pid \d+, gen \d+.*$", RegexOptions.Multiline)]
    private static partial Regex ChildStarted();

    [GeneratedRegex(@"\[\w{3} \w{3} \d{2} (\d{2}):(\d{2}):(\d{2}\.\d{6}) \d{4}\]")]
    private static partial Regex Time();
}
