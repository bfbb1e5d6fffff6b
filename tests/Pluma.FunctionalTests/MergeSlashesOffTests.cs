using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// MergeSlashes Off (core, 2.4.39+): runs of '/' stay in the URI, so "//ms//exact" no longer
/// meets &lt;LocationMatch "^/ms/exact$"&gt;, while &lt;Location&gt; still compares with them
/// merged (location_walk); Debian's apache2 and bin/pluma on the same tree must agree.
/// </summary>
public sealed class MergeSlashesOffTests
{
    private const string Conf = """
        MergeSlashes Off
        <Location /ms/denied>
            Require all denied
        </Location>
        <LocationMatch "^/ms/exact$">
            Require all denied
        </LocationMatch>

        """;

    [Fact]
    public void RunsOfSlashesAreKeptAsApacheKeepsThem()
    {
        using var apacheTree = new TempConfTree();
        using var plumaTree = new TempConfTree();
        foreach (TempConfTree tree in new[] { apacheTree, plumaTree })
        {
            tree.WriteConf(Path.Combine("conf-enabled", "zz-merge-slashes.conf"), Conf);
            Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "ms"));
            foreach (string name in new[] { "denied", "exact" })
            {
                File.WriteAllText(Path.Combine(tree.DocumentRoot, "ms", name), "open\n");
                File.SetLastWriteTimeUtc(Path.Combine(tree.DocumentRoot, "ms", name), DifferentialServers.FileTime);
            }
        }

        using var apache = DifferentialApache.Start(apacheTree);
        using var pluma = PlumaServer.Start(plumaTree);
        foreach (string target in new[] { "/ms/denied", "//ms//denied", "/ms//denied", "/ms/exact", "//ms//exact", "/ms//exact" })
        {
            var c = new DifferentialCase(target, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            string a = DifferentialExchange.Run(apacheTree.Port, c);
            string p = DifferentialExchange.Run(plumaTree.Port, c);
            Assert.True(a == p, $"{target}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{a}===== pluma =====\n{p}=====");
        }

        // Not a vacuous agreement: the regex refuses the merged form and lets the unmerged one through.
        Assert.StartsWith("HTTP/1.1 403", DifferentialExchange.Run(plumaTree.Port, new DifferentialCase("x", "GET /ms/exact HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", DifferentialExchange.Run(plumaTree.Port, new DifferentialCase("x", "GET //ms//exact HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")), StringComparison.Ordinal);
    }
}
