using System.IO;
using Pluma.Testing;

namespace Pluma.Admin.Tests;

/// <summary>`pluma -k advise --apply`'s rewrite of Debian's mods-available/mpm_NAME.conf.</summary>
public sealed class MpmConfFileTests
{
    private static readonly (string, int)[] s_event =
    [
        ("StartServers", 2), ("MinSpareThreads", 25), ("MaxSpareThreads", 75), ("ThreadLimit", 64), ("ThreadsPerChild", 25),
        ("ServerLimit", 16), ("MaxRequestWorkers", 125), ("MaxConnectionsPerChild", 0),
    ];

    private static string Debian(string mpm) => File.ReadAllText(Path.Combine(RepositoryPaths.ConfTree, "mods-available", $"mpm_{mpm}.conf"));

    [Fact]
    public void DebiansEventFileKeepsItsHeaderGainsServerLimitsLineAndTheNotes()
    {
        string text = MpmConfFile.Rewrite(Debian("event"), "event", s_event, ["sized on 2 CPUs", "peak 30 connections"]);
        Assert.Equal(
            """
            # event MPM
            # StartServers: initial number of server processes to start
            # MinSpareThreads: minimum number of worker threads which are kept spare
            # MaxSpareThreads: maximum number of worker threads which are kept spare
            # ThreadsPerChild: constant number of worker threads in each server process
            # MaxRequestWorkers: maximum number of worker threads
            # MaxConnectionsPerChild: maximum number of requests a server process serves
            # ThreadLimit: ThreadsPerChild can be changed to this maximum value during a graceful restart
            # ServerLimit: maximum number of server processes; changed only by stopping and starting
            # pluma -k advise: sized on 2 CPUs
            # pluma -k advise: peak 30 connections
            StartServers            2
            MinSpareThreads         25
            MaxSpareThreads         75
            ThreadLimit             64
            ThreadsPerChild         25
            ServerLimit             16
            MaxRequestWorkers       125
            MaxConnectionsPerChild  0

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
    }

    [Fact]
    public void ASecondApplyReplacesTheFirstOnesLinesAndNotes()
    {
        string once = MpmConfFile.Rewrite(Debian("event"), "event", s_event, ["first"]);
        string twice = MpmConfFile.Rewrite(once, "event", s_event, ["second"]);
        Assert.DoesNotContain("first", twice, StringComparison.Ordinal);
        Assert.Single(twice.Split('\n'), l => l.StartsWith("MaxRequestWorkers", StringComparison.Ordinal));
        Assert.Single(twice.Split('\n'), l => l.StartsWith("# ServerLimit:", StringComparison.Ordinal));
        Assert.Equal(MpmConfFile.Rewrite(Debian("event"), "event", s_event, ["second"]), twice);
    }

    [Fact]
    public void WorkersMultiLineThreadLimitDescriptionStaysWhole()
    {
        string text = MpmConfFile.Rewrite(Debian("worker"), "worker", s_event, []);
        string[] lines = text.Split('\n');
        int serverLimit = Array.FindIndex(lines, l => l.StartsWith("# ServerLimit:", StringComparison.Ordinal));
        Assert.Equal("# MaxConnectionsPerChild: maximum number of requests a server process serves", lines[serverLimit - 1]);
        Assert.Contains("#\t\t\t  and starting Apache.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIfModuleWrapperAndItsIndentationAndOtherDirectivesStay()
    {
        const string Old = "# prefork MPM\n# StartServers: number of server processes to start\n<IfModule mpm_prefork_module>\n\tStartServers\t\t\t 5\n\tMaxClients 150\n\tMaxRequestsPerChild 0\n\tListenBacklog 100\n</IfModule>\n\n# vim: syntax=apache ts=4 sw=4 sts=4 sr noet\n";
        string text = MpmConfFile.Rewrite(Old, "prefork", [("StartServers", 8), ("MaxRequestWorkers", 120)], []);
        Assert.Equal(
            "# prefork MPM\n# StartServers: number of server processes to start\n# MaxRequestWorkers: maximum number of simultaneous connections served\n"
            + "<IfModule mpm_prefork_module>\n\tStartServers            8\n\tMaxRequestWorkers       120\n\tListenBacklog 100\n</IfModule>\n\n# vim: syntax=apache ts=4 sw=4 sts=4 sr noet\n",
            text);
    }

    [Fact]
    public void AValueContinuedOnTheNextLineGoesWithItsDirective()
    {
        string text = MpmConfFile.Rewrite("MaxRequestWorkers \\\n    150\nListenBacklog 10\n", "event", [("MaxRequestWorkers", 125)], []);
        Assert.Equal("# MaxRequestWorkers: maximum number of simultaneous connections served\nMaxRequestWorkers       125\nListenBacklog 10\n", text);
    }

    [Fact]
    public void AMissingFileIsWrittenWithAHeader()
    {
        string text = MpmConfFile.Rewrite(null, "prefork", [("StartServers", 5)], ["n"]);
        Assert.Equal("# prefork MPM\n# StartServers: initial number of server processes to start\n# pluma -k advise: n\nStartServers            5\n", text);
    }
}
