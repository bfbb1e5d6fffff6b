using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>Both servers with two name-based virtual hosts after the default one (one whose ServerName carries another port).</summary>
public sealed class StatusVhostServers : IDisposable
{
    public StatusVhostServers()
    {
        Servers = new DifferentialServers(tree =>
        {
            string port = tree.Port.ToString(CultureInfo.InvariantCulture);
            tree.WriteConf(Path.Combine("sites-enabled", "named.conf"),
                "<VirtualHost *:" + port + ">\nServerName named.test\nDocumentRoot ${PLUMA_WWW}/html\n</VirtualHost>\n" +
                "<VirtualHost *:" + port + ">\nServerName portnamed.test:81\nDocumentRoot ${PLUMA_WWW}/html\n</VirtualHost>\n");
        });
    }

    internal DifferentialServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>
/// server-status's VHost column names each request's own virtual host (scoreboard.c
/// update_child_status_internal: server_hostname ":" the connection's local port), not the
/// connection's first one, against Debian's apache2.
/// </summary>
public sealed class DifferentialStatusVhostTests : IClassFixture<StatusVhostServers>
{
    private readonly DifferentialServers _servers;

    public DifferentialStatusVhostTests(StatusVhostServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("named.test")]
    [InlineData("portnamed.test")]
    [InlineData("unknown.test")]
    [InlineData("localhost")]
    public void TheVhostColumnShowsTheRequestsVirtualHost(string host)
    {
        string apache = VhostOf(_servers.ApachePort, host);
        string pluma = VhostOf(_servers.PlumaPort, host);
        Assert.Equal(apache, pluma);
    }

    [Fact]
    public void EachRequestOfAKeepAliveConnectionHasItsOwnVhost()
    {
        string tag = Guid.NewGuid().ToString("N");
        using var c = new RawHttp(_servers.PlumaPort);
        c.Send("GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);

        // The connection's second request, held while its body is read: its row names its own vhost.
        c.Send("GET /files/small.txt?" + tag + " HTTP/1.1\r\nHost: named.test\r\nContent-Length: 1\r\nConnection: close\r\n\r\n");
        string vhost = RowVhost(_servers.PlumaPort, tag);
        c.Send("x");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.Equal("named.test:" + _servers.PlumaPort.ToString(CultureInfo.InvariantCulture), vhost);
    }

    /// <summary>
    /// The VHost cell of the status row of a request sent with Host: <paramref name="host"/>, read
    /// while the server waits for that request's body (so no later request takes its worker's
    /// row), the port normalised.
    /// </summary>
    private static string VhostOf(int port, string host)
    {
        string tag = Guid.NewGuid().ToString("N");
        using var c = new RawHttp(port);
        c.Send("GET /files/small.txt?" + tag + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 1\r\nConnection: close\r\n\r\n");
        string vhost = RowVhost(port, tag);
        c.Send("x");
        Assert.Equal(200, c.ReadResponse().Status);
        return vhost.Replace(":" + port.ToString(CultureInfo.InvariantCulture), ":PORT", StringComparison.Ordinal);
    }

    private static string RowVhost(int port, string tag)
    {
        string page = string.Empty;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var c = new RawHttp(port);
            c.Send("GET /server-status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            page = c.ReadResponse().BodyText;
            Match row = Regex.Match(page, "<td nowrap>([^<]*)</td><td nowrap>GET /files/small.txt\\?" + tag + " HTTP/1.1</td></tr>");
            if (row.Success)
            {
                return row.Groups[1].Value;
            }

            Thread.Sleep(100);
        }

        return "(no row for the request)\n" + page;
    }
}
