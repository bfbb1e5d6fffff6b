using System.Globalization;
using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Both servers with name-based virtual hosts after the default one: one whose ServerName has no
/// port, one with a port, and one that says HttpProtocolOptions Unsafe (which Apache does not
/// apply: the first virtual host of the address reads the request).
/// </summary>
public sealed class NamedHostServers : IDisposable
{
    public NamedHostServers()
    {
        Servers = new DifferentialServers(tree =>
        {
            string port = tree.Port.ToString(CultureInfo.InvariantCulture);
            tree.WriteConf(Path.Combine("sites-enabled", "named.conf"),
                "<VirtualHost *:" + port + ">\nServerName named.test\nDocumentRoot ${PLUMA_WWW}/html\n</VirtualHost>\n" +
                "<VirtualHost *:" + port + ">\nServerName portnamed.test:81\nDocumentRoot ${PLUMA_WWW}/html\n</VirtualHost>\n" +
                "<VirtualHost *:" + port + ">\nServerName unsafe.test\nHttpProtocolOptions Unsafe\nDocumentRoot ${PLUMA_WWW}/html\n</VirtualHost>\n");
        });
    }

    internal DifferentialServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>Self-referential URLs and signatures of named virtual hosts, and whose HttpProtocolOptions apply, against Debian's apache2.</summary>
public sealed class DifferentialNamedHostTests : IClassFixture<NamedHostServers>
{
    private const string Close = "Connection: close\r\n";

    private static readonly DifferentialCase[] s_cases =
    [
        new("DirectorySlash redirect of a vhost whose ServerName has no port", "GET /files HTTP/1.1\r\nHost: named.test\r\n" + Close + "\r\n"),
        new("Error page signature of a vhost whose ServerName has no port", "GET /no-such-file HTTP/1.1\r\nHost: named.test\r\n" + Close + "\r\n"),
        new("DirectorySlash redirect of a vhost whose ServerName has a port", "GET /files HTTP/1.1\r\nHost: portnamed.test\r\n" + Close + "\r\n"),
        new("Error page signature of a vhost whose ServerName has a port", "GET /no-such-file HTTP/1.1\r\nHost: portnamed.test\r\n" + Close + "\r\n"),
        new("A Host port wins over the ServerName's", "GET /files HTTP/1.1\r\nHost: portnamed.test:82\r\n" + Close + "\r\n"),
        new("The default vhost keeps the local port", "GET /files HTTP/1.1\r\nHost: other.test\r\n" + Close + "\r\n"),
        new("Unsafe in a later vhost does not apply to its requests", "GET /files/small.txt HTTP/1.1\r\nHost: unsafe.test\r\nX(A: b\r\n" + Close + "\r\n"),
        new("Unsafe in a later vhost: numeric Host", "GET /files/small.txt HTTP/1.1\r\nHost: 123\r\n" + Close + "\r\n"),
    ];

    private readonly DifferentialServers _servers;

    public DifferentialNamedHostTests(NamedHostServers servers)
    {
        _servers = servers.Servers;
    }

    public static TheoryData<int> Cases
    {
        get
        {
            var data = new TheoryData<int>();
            for (int i = 0; i < s_cases.Length; i++)
            {
                data.Add(i);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnswersAsDebiansApacheDoes(int index)
    {
        DifferentialCase c = s_cases[index];
        string apache = DifferentialExchange.Run(_servers.ApachePort, c);
        string pluma = DifferentialExchange.Run(_servers.PlumaPort, c);
        if (apache != pluma)
        {
            Assert.Fail($"{c.Name}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{apache}===== pluma =====\n{pluma}=====");
        }
    }
}

/// <summary>HttpProtocolOptions Unsafe in the first virtual host of the address applies to the whole port, in both servers.</summary>
public sealed class UnsafeDefaultHostServers : IDisposable
{
    public UnsafeDefaultHostServers()
    {
        Servers = new DifferentialServers(tree =>
        {
            string site = Path.Combine(tree.ConfDir, "sites-available", "000-default.conf");
            File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", "\tHttpProtocolOptions Unsafe\n</VirtualHost>", StringComparison.Ordinal));
        });
    }

    internal DifferentialServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>The first virtual host's HttpProtocolOptions Unsafe reads every request of its port (Apache's base server).</summary>
public sealed class DifferentialUnsafeDefaultHostTests : IClassFixture<UnsafeDefaultHostServers>
{
    private readonly DifferentialServers _servers;

    public DifferentialUnsafeDefaultHostTests(UnsafeDefaultHostServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nX(A: b\r\nConnection: close\r\n\r\n")]
    [InlineData("GET /files/small.txt HTTP/1.1\r\nHost: 123\r\nConnection: close\r\n\r\n")]
    [InlineData("GET /files/small.txt HTTP/1.1\r\nHost: a.1b\r\nConnection: close\r\n\r\n")]
    [InlineData("G(T /files/small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")]
    public void AnswersAsDebiansApacheDoes(string request)
    {
        var c = new DifferentialCase("unsafe default vhost", request);
        string apache = DifferentialExchange.Run(_servers.ApachePort, c);
        string pluma = DifferentialExchange.Run(_servers.PlumaPort, c);
        Assert.Equal(apache, pluma);
    }

    [Fact]
    public void ListenersThatWouldNeedDifferentSettingsAreRefused()
    {
        using var tree = new TempConfTree();
        int other = FreePort.Next();
        tree.AppendToMainConfig("Listen 127.0.0.1:" + other.ToString(CultureInfo.InvariantCulture) + "\n<VirtualHost *:" + other.ToString(CultureInfo.InvariantCulture) + ">\nHttpProtocolOptions Unsafe\n</VirtualHost>");
        ProcessResult pluma = Pluma.OnTree(tree, "-t");
        Assert.NotEqual(0, pluma.ExitCode);
        Assert.Contains("PL00230: ", pluma.Combined, StringComparison.Ordinal);
        Assert.Contains("HttpProtocolOptions differs", pluma.Combined, StringComparison.Ordinal);
    }
}
