using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Pluma.FunctionalTests.Tls;
using Pluma.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Pluma.FunctionalTests.Http2;

/// <summary>
/// Issue 15's conformance run: h2spec's cases (<see cref="H2ConformanceCases"/>, by RFC 9113 and
/// RFC 7541 section) sent by <see cref="H2RawClient"/> to Debian's apache2 (mod_http2) and to
/// Pluma, both on the same configuration (the bundled tree, <c>a2enmod http2</c> and <c>ssl</c>:
/// <c>Protocols h2 h2c http/1.1</c>, <c>H2Direct on</c>, event MPM), in one run, over h2c by
/// prior knowledge and over TLS with ALPN h2. Each case is judged by what the RFC requires, for
/// both servers; Pluma must pass every case Apache passes. The summary lines are the figures
/// bench/README.md quotes:
/// <c>dotnet test tests/Pluma.FunctionalTests -c Release --filter FullyQualifiedName~Http2ConformanceDifferentialTests --logger "console;verbosity=detailed"</c>.
/// To look at a few cases: <c>PLUMA_H2_CASES=6.10,hpack</c> (id prefixes; both servers then log
/// at debug and Pluma's error log is printed) and <c>PLUMA_H2_REPEAT=20</c> to run them again and again.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Http2ConformanceDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public Http2ConformanceDifferentialTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void PlumaFailsNoCaseApachePasses()
    {
        using TlsTree apacheTree = ConformanceTree();
        using TlsTree plumaTree = ConformanceTree();
        using DifferentialApache apache = DifferentialApache.Start(apacheTree.Tree);
        using PlumaServer pluma = plumaTree.Start();

        var report = new StringBuilder();
        var regressions = new List<string>();
        var plumaFailures = new List<string>();
        foreach (string transport in new[] { "h2c", "h2" })
        {
            var passed = new Dictionary<string, int> { ["apache2"] = 0, ["pluma"] = 0 };
            var differ = new List<string>();
            foreach (H2Case c in Cases())
            {
                (bool apacheOk, string apacheSaw) = Run(c, transport, apacheTree);
                (bool plumaOk, string plumaSaw) = Run(c, transport, plumaTree);
                passed["apache2"] += apacheOk ? 1 : 0;
                passed["pluma"] += plumaOk ? 1 : 0;
                string line = $"{transport} {c.Id} {c.Title}: wants {c.Expect.Text}; apache2 {(apacheOk ? "pass" : "FAIL")} ({apacheSaw}); pluma {(plumaOk ? "pass" : "FAIL")} ({plumaSaw})";
                report.AppendLine(line);
                if (apacheOk != plumaOk)
                {
                    differ.Add(line);
                }

                if (apacheOk && !plumaOk)
                {
                    regressions.Add(line);
                }

                if (!plumaOk)
                {
                    plumaFailures.Add(line);
                }
            }

            int total = Cases().Count;
            _output.WriteLine($"HTTP/2 conformance over {transport}: apache2 {passed["apache2"]}/{total} passed, {total - passed["apache2"]} failed; pluma {passed["pluma"]}/{total} passed, {total - passed["pluma"]} failed");
            foreach (string d in differ)
            {
                _output.WriteLine("  differs: " + d);
            }
        }

        _output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("PLUMA_H2_CASES") is { Length: > 0 })
        {
            _output.WriteLine("pluma's error log:\n" + plumaTree.Tree.ErrorLog);
        }

        Assert.True(regressions.Count == 0, "Pluma fails cases Apache passes:\n" + string.Join("\n", regressions) + "\n" + plumaTree.Tree.ErrorLog);
        Assert.True(plumaFailures.Count == 0, "Pluma fails cases:\n" + string.Join("\n", plumaFailures));
    }

    /// <summary>Every case, or those whose id starts with one of PLUMA_H2_CASES's comma-separated prefixes (to look at a few).</summary>
    private static List<H2Case> Cases()
    {
        string? only = Environment.GetEnvironmentVariable("PLUMA_H2_CASES");
        if (only is null or "")
        {
            return [.. H2ConformanceCases.All];
        }

        int repeat = int.TryParse(Environment.GetEnvironmentVariable("PLUMA_H2_REPEAT"), out int n) ? n : 1;
        return [.. Enumerable.Repeat(0, repeat).SelectMany(_ => H2ConformanceCases.All.Where(c => only.Split(',').Any(p => c.Id.StartsWith(p, StringComparison.Ordinal))))];
    }

    private static (bool Ok, string Saw) Run(H2Case c, string transport, TlsTree tree)
    {
        try
        {
            using H2RawClient client = transport == "h2c" ? H2RawClient.Cleartext(tree.Tree.Port) : H2RawClient.Tls(tree.TlsPort, "site.test", tree.CaFile);
            if (c.Handshake)
            {
                client.Handshake();
            }

            c.Send(client);
            H2Outcome o = client.Observe(c.Stream);
            return (c.Expect.Ok(o), o.ToString());
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            return (false, "client failed: " + e.Message);
        }
    }

    /// <summary>The bundled tree with mod_ssl and mod_http2 enabled as an admin enables them, site.test on the TLS port, and the files the cases ask for.</summary>
    private static TlsTree ConformanceTree()
    {
        var tls = new TlsTree("event");
        ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "http2"], tls.Tree.AdminEnvironment);
        Assert.True(r.ExitCode == 0, r.Combined);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string root = tls.NamedSite("site.test", cert, key, "site\n");
        tls.Tree.AppendToMainConfig("H2Direct on\n" + (Environment.GetEnvironmentVariable("PLUMA_H2_CASES") is { Length: > 0 } ? "LogLevel debug\n" : ""));
        byte[] big = new byte[H2ConformanceCases.BigFileLength];
        new Random(15).NextBytes(big);
        File.WriteAllBytes(Path.Combine(tls.Tree.DocumentRoot, H2ConformanceCases.BigFile[1..]), big);
        File.WriteAllBytes(Path.Combine(root, H2ConformanceCases.BigFile[1..]), big);
        return tls;
    }
}
