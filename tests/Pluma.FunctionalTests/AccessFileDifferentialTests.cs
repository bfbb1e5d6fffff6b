using System.Diagnostics;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Access files (.htaccess) on Debian's apache2 and on bin/pluma, each serving its own copy of
/// the bundled tree with the same <see cref="AccessFileSite"/> directories: the same raw request
/// must get the same answer, and a refused file the same reason in the error log.
/// </summary>
public sealed class AccessFileDifferentialTests : IClassFixture<AccessFileDifferentialTests.Servers>
{
    private readonly Servers _servers;

    public AccessFileDifferentialTests(Servers servers)
    {
        _servers = servers;
    }

    public static TheoryData<string> Paths => new()
    {
        "/ht-noindexes/", "/ht-noindexes/f.txt", "/ht-index/", "/ht-denied/f.txt", "/ht-denied/", "/ht-deny/f.txt",
        "/ht-errordoc/missing.txt", "/ht-types/a.foo", "/ht-types/force.bin", "/ht-files/secret.txt", "/ht-files/f.txt",
        "/ht-nested/", "/ht-nested/sub/", "/ht-none/f.txt", "/ht-list/", "/ht-nonfatal/f.txt", "/ht-optmask/f.txt",
        "/ht-invalid/f.txt", "/ht-notallowed/f.txt", "/ht-listonly/f.txt", "/ht-option/f.txt", "/ht-include/f.txt",
        "/ht-unclosed/f.txt", "/ht-args/f.txt", "/ht-isdir/f.txt", "/ht-denied/.htaccess", "/ht-invalid/.htaccess",
    };

    public static TheoryData<string> RefusedDirectories => new()
    {
        "ht-invalid", "ht-notallowed", "ht-listonly", "ht-option", "ht-include", "ht-unclosed", "ht-args",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void PlumaAnswersAsDebiansApacheDoes(string path)
    {
        var c = new DifferentialCase(path, $"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        string apache = DifferentialExchange.Run(_servers.Apache.Port, c);
        string pluma = DifferentialExchange.Run(_servers.PlumaTree.Port, c);
        if (apache != pluma)
        {
            Assert.Fail($"{path}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{apache}===== pluma =====\n{pluma}=====");
        }
    }

    [Fact]
    public void AGeneratedListingUnderAnAccessFileIsAllowedByBoth()
    {
        // A listing carries folder times: compare the status and title only.
        foreach (string path in new[] { "/ht-nonfatal/", "/ht-optmask/" })
        {
            var c = new DifferentialCase(path, $"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", DifferentialBody.TitleOnly);
            Assert.Equal(DifferentialExchange.Run(_servers.Apache.Port, c), DifferentialExchange.Run(_servers.PlumaTree.Port, c));
        }
    }

    [Theory]
    [MemberData(nameof(RefusedDirectories))]
    public void ARefusedAccessFileIsLoggedWithApachesReason(string dir)
    {
        string path = "/" + dir + "/f.txt";
        var c = new DifferentialCase(path, $"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        DifferentialExchange.Run(_servers.Apache.Port, c);
        DifferentialExchange.Run(_servers.PlumaTree.Port, c);
        string apache = WaitForReason(_servers.ApacheTree, dir);
        string pluma = WaitForReason(_servers.PlumaTree, dir);
        Assert.Equal(apache, pluma);
    }

    // What follows "[client ip:port] DOCROOT/DIR/.htaccess: " on the alert line, with the tree's own path made neutral.
    private static string WaitForReason(TempConfTree tree, string dir)
    {
        string file = Path.Combine(tree.DocumentRoot, dir, ".htaccess");
        var sw = Stopwatch.StartNew();
        while (true)
        {
            foreach (string line in tree.ErrorLog.Split('\n'))
            {
                int at = line.IndexOf("] " + file + ": ", StringComparison.Ordinal);
                if (at >= 0 && line.Contains(":alert]", StringComparison.Ordinal))
                {
                    return line[(at + 2)..].Replace(tree.DocumentRoot, "DOCROOT", StringComparison.Ordinal);
                }
            }

            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "no alert for " + file + " in:\n" + tree.ErrorLog);
            Thread.Sleep(50);
        }
    }

    /// <summary>Two copies of the bundled tree with the access-file directories; apache2 serves one, pluma the other.</summary>
    public sealed class Servers : IDisposable
    {
        private readonly DifferentialPair _pair = new(AccessFileSite.AddTo);

        public TempConfTree ApacheTree => _pair.ApacheTree;

        public TempConfTree PlumaTree => _pair.PlumaTree;

        internal DifferentialApache Apache => _pair.Apache;

        public PlumaServer Pluma => _pair.Pluma;

        public void Dispose() => _pair.Dispose();
    }
}
