using System.Collections.Generic;
using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Core directives that act on the whole server, each compared with Debian's apache2 on a copy
/// of the bundled tree with one extra configuration file: MergeSlashes Off (runs of '/' stay in
/// the URI, so "//ms//exact" no longer meets &lt;LocationMatch "^/ms/exact$"&gt;, while
/// &lt;Location&gt; still compares with them merged, as location_walk does) and StrictHostCheck On
/// (a Host that no ServerName or ServerAlias names is refused with 400).
/// </summary>
public sealed class ServerWideCoreDirectiveTests
{
    [Fact]
    public void MergeSlashesOffKeepsRunsOfSlashesAsApacheDoes()
    {
        const string conf = """
            MergeSlashes Off
            <Location /ms/denied>
                Require all denied
            </Location>
            <LocationMatch "^/ms/exact$">
                Require all denied
            </LocationMatch>

            """;
        string[] targets = ["/ms/denied", "//ms//denied", "/ms//denied", "/ms/exact", "//ms//exact", "/ms//exact"];
        CompareWithApache(conf, targets, t => "GET " + t + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    [Fact]
    public void StrictHostCheckOnRefusesUnnamedHostsAsApacheDoes()
    {
        // The bundled vhost has no ServerName: like Apache, Pluma names it 127.0.0.1 (AH00558).
        string[] hosts = ["unknown.example", "localhost", "127.0.0.1", "LOCALHOST", "127.0.0.1:1"];
        CompareWithApache("StrictHostCheck On\n", hosts, h => "GET /ms/exact HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n");
        CompareWithApache("StrictHostCheck On\n", ["no Host"], _ => "GET /ms/exact HTTP/1.0\r\n\r\n");
    }

    /// <summary>Starts both servers with <paramref name="conf"/>, sends each request to both, and asserts the same transcript.</summary>
    private static void CompareWithApache(string conf, string[] keys, Func<string, string> request)
    {
        using var apacheTree = new TempConfTree();
        using var plumaTree = new TempConfTree();
        foreach (TempConfTree tree in new[] { apacheTree, plumaTree })
        {
            tree.WriteConf(Path.Combine("conf-enabled", "zz-server-wide.conf"), conf);
            Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "ms"));
            foreach (string name in new[] { "denied", "exact" })
            {
                File.WriteAllText(Path.Combine(tree.DocumentRoot, "ms", name), "open\n");
                File.SetLastWriteTimeUtc(Path.Combine(tree.DocumentRoot, "ms", name), DifferentialServers.FileTime);
            }
        }

        using var apache = DifferentialApache.Start(apacheTree);
        using var pluma = PlumaServer.Start(plumaTree);
        var statuses = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            var c = new DifferentialCase(key, request(key));
            string a = DifferentialExchange.Run(apacheTree.Port, c);
            string p = DifferentialExchange.Run(plumaTree.Port, c);
            Assert.True(a == p, $"{key}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{a}===== pluma =====\n{p}=====");
            statuses.Add(a[..a.IndexOf('\n', StringComparison.Ordinal)]);
        }

        // Not a vacuous agreement: the cases were chosen so that both answers occur.
        Assert.True(keys.Length == 1 || statuses.Count > 1, "every case got the same status: " + string.Join(", ", statuses));
    }
}
