using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.RemoteIp;

/// <summary>Debian's apache2 and bin/pluma with the same mod_remoteip configuration: X-Forwarded-For from a trusted proxy (the test client), a Require ip location, an access log of %a %h %{c}a.</summary>
public sealed class RemoteIpDifferentialServers : IDisposable
{
    private const string Site = """
          RemoteIPHeader X-Forwarded-For
          RemoteIPTrustedProxy 127.0.0.1 198.51.100.7
          RemoteIPProxiesHeader X-Forwarded-By
          LogFormat "%a %h %{c}a \"%r\" %>s \"%{X-Forwarded-For}i\"" rip
          CustomLog ${APACHE_LOG_DIR}/rip.log rip
          <Location /only-doc/>
            Require ip 203.0.113.0/24
          </Location>
          <Location /not-doc/>
            <RequireAll>
              Require all granted
              Require not ip 203.0.113.0/24
            </RequireAll>
          </Location>
        """;

    private readonly DifferentialPair _pair;

    public RemoteIpDifferentialServers()
    {
        _pair = new DifferentialPair(t =>
        {
            foreach (string dir in new[] { "only-doc", "not-doc" })
            {
                Directory.CreateDirectory(Path.Combine(t.DocumentRoot, dir));
                File.WriteAllText(Path.Combine(t.DocumentRoot, dir, "index.html"), dir + "\n");
            }

            t.AppendToMainConfig("LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\n");
            string site = Path.Combine(t.ConfDir, "sites-available", "000-default.conf");
            File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", Site + "\n</VirtualHost>", StringComparison.Ordinal));
        });
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public void Dispose() => _pair.Dispose();
}

/// <summary>The client address mod_remoteip settles on, as %a and %h in the access log and in Require ip's decision, is Debian's apache2's.</summary>
public sealed class RemoteIpDifferentialTests : IClassFixture<RemoteIpDifferentialServers>
{
    private readonly RemoteIpDifferentialServers _s;

    public RemoteIpDifferentialTests(RemoteIpDifferentialServers servers)
    {
        _s = servers;
    }

    [Theory]
    [InlineData("/only-doc/", "")]
    [InlineData("/only-doc/", "X-Forwarded-For: 203.0.113.9\r\n")]
    [InlineData("/only-doc/", "X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n")]
    [InlineData("/only-doc/", "X-Forwarded-For: 203.0.113.9, 198.51.100.8\r\n")]
    [InlineData("/only-doc/", "X-Forwarded-For: 10.1.2.3\r\n")]
    [InlineData("/only-doc/", "X-Forwarded-For: 203.0.113.9, 10.1.2.3\r\n")]
    [InlineData("/only-doc/", "X-Forwarded-For: not-an-address\r\n")]
    [InlineData("/only-doc/", "X-Forwarded-For: 192.0.2.1, 203.0.113.9\r\n")]
    [InlineData("/not-doc/", "X-Forwarded-For: 203.0.113.9\r\n")]
    [InlineData("/not-doc/", "X-Forwarded-For: 192.0.2.1\r\n")]
    [InlineData("/not-doc/", "X-Forwarded-For: 2001:db8::1\r\n")]
    [InlineData("/not-doc/", "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 192.0.2.5\r\n")]
    public void ClientAddressAndAccessDecisionMatchDebiansApache(string target, string headers)
    {
        string request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
        string apache = View(_s.ApacheTree, request);
        string pluma = View(_s.PlumaTree, request);
        Assert.True(apache == pluma, $"{target} {headers}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    // The status, then the access log line the request added (written after the response: polled for).
    private static string View(TempConfTree tree, string request)
    {
        string log = Path.Combine(tree.LogDir, "rip.log");
        int before = Lines(log).Length;
        int status;
        using (var c = new RawHttp(tree.Port))
        {
            c.Send(request);
            status = c.ReadResponse().Status;
        }

        string[] lines = Lines(log);
        for (int i = 0; i < 100 && lines.Length <= before; i++)
        {
            Thread.Sleep(20);
            lines = Lines(log);
        }

        return status.ToString(CultureInfo.InvariantCulture) + "\n" + string.Join("\n", lines.Skip(before));
    }

    private static string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
