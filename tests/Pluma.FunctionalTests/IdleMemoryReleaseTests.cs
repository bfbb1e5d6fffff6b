using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// A child gives memory back once it goes idle after serving (Common/IdleRelease:
/// the HTTP engine's cached buffers and one compacting collection), as Apache's threads free
/// what exceeds MaxMemFree: once after its start, once after each spell of requests, and not
/// again while nothing is asked. The child's PL00410 debug line says what the GC held before
/// and after.
/// </summary>
public sealed partial class IdleMemoryReleaseTests
{
    private const string OneChild = "StartServers 1\nServerLimit 1\nThreadsPerChild 25\nMinSpareThreads 1\nMaxSpareThreads 50\nMaxRequestWorkers 25\nMaxConnectionsPerChild 0\n";

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void AChildReleasesOnceAfterStartAndOnceAfterEachSpellOfRequests(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.WriteConf($"mods-available/mpm_{mpm}.conf", OneChild);
        tree.AppendToMainConfig($"LogLevel warn mpm_{mpm}:debug");
        using var server = PlumaServer.Start(tree);

        // The start's release: the child went idle once its threads were up.
        WaitFor(tree, _ => true);

        const int Requests = 300;
        for (int i = 0; i < Requests; i++)
        {
            // A connection each: every one allocates its transport and scoreboard state.
            using var c = new RawHttp(tree.Port);
            c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, c.ReadResponse().Status);
        }

        Match after = WaitFor(tree, m => Number(m, "n") >= Requests);
        Assert.True(Number(after, "privateAfter") < Number(after, "privateBefore"), "the release gave no page back: " + after.Value);

        // Nothing asked since: the next ticks find the child idle and release nothing more.
        int releases = Releases(tree).Count;
        Thread.Sleep(3_000);
        Assert.Equal(releases, Releases(tree).Count);
    }

    [Fact]
    public void APreforkChildReleasesOnlyAfterItServed()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        tree.WriteConf("mods-available/mpm_prefork.conf", "StartServers 1\nMinSpareServers 1\nMaxSpareServers 1\nServerLimit 1\nMaxRequestWorkers 1\nMaxConnectionsPerChild 0\n");
        tree.AppendToMainConfig("LogLevel warn mpm_prefork:debug");
        using var server = PlumaServer.Start(tree);

        // Its start already collected once before serving: idle ticks release nothing yet.
        Thread.Sleep(3_000);
        Assert.Empty(Releases(tree));

        const int Requests = 100;
        for (int i = 0; i < Requests; i++)
        {
            using var c = new RawHttp(tree.Port);
            c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, c.ReadResponse().Status);
        }

        WaitFor(tree, m => Number(m, "n") >= Requests);
        int releases = Releases(tree).Count;
        Thread.Sleep(3_000);
        Assert.Equal(releases, Releases(tree).Count);
    }

    private static Match WaitFor(TempConfTree tree, Func<Match, bool> wanted)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            foreach (Match m in Releases(tree))
            {
                if (wanted(m))
                {
                    return m;
                }
            }

            if (sw.ElapsedMilliseconds > 60_000)
            {
                Assert.Fail("no such PL00410 line after 60 s:\n" + tree.ErrorLog);
            }

            Thread.Sleep(100);
        }
    }

    private static long Number(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static MatchCollection Releases(TempConfTree tree) => ReleaseLine().Matches(tree.ErrorLog);

    [GeneratedRegex(@"PL00410: child idle after (?<n>\d+) requests: GC heap \d+ KiB -> \d+ KiB, private memory (?<privateBefore>\d+) KiB -> (?<privateAfter>\d+) KiB")]
    private static partial Regex ReleaseLine();
}
