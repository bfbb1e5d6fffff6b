using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.RemoteIp;

/// <summary>
/// mod_remoteip end to end: the client's address from X-Forwarded-For and from the PROXY
/// protocol (v1 and v2) in Require ip, the access log's %a/%h (with %{c}a the peer) and the CGI
/// environment; a malformed PROXY header closes the connection with Apache's log line.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RemoteIpTests : IClassFixture<RemoteIpSite>
{
    private readonly RemoteIpSite _s;

    public RemoteIpTests(RemoteIpSite site)
    {
        _s = site;
    }

    private HttpResponseText Get(string target, string headers = "")
    {
        using var c = new RawHttp(_s.Tree.Port);
        c.Send($"GET {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
        return c.ReadResponse();
    }

    [Fact]
    public void HeaderNamesTheClientForCgiAndLog()
    {
        HttpResponseText r = Get("/cgi-bin/env.cgi?header", "X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n");
        Assert.Equal(200, r.Status);
        Assert.Contains("REMOTE_ADDR=203.0.113.9\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("REMOTE_PORT=0\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("HTTP_X_FORWARDED_BY=198.51.100.7\n", r.BodyText, StringComparison.Ordinal); // RemoteIPProxiesHeader: the external proxy only
        Assert.DoesNotContain("HTTP_X_FORWARDED_FOR", r.BodyText, StringComparison.Ordinal); // every address was used
        Assert.True(_s.WaitForAccessLine("203.0.113.9 127.0.0.1 203.0.113.9 \"GET /cgi-bin/env.cgi?header HTTP/1.1\" 200"), _s.AccessLog);
    }

    [Fact]
    public void ExternalProxyCannotPresentAPrivateAddress()
    {
        HttpResponseText r = Get("/cgi-bin/env.cgi?private", "X-Forwarded-For: 10.1.1.1, 198.51.100.7\r\n");
        Assert.Contains("REMOTE_ADDR=198.51.100.7\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("HTTP_X_FORWARDED_FOR=10.1.1.1\n", r.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP_X_FORWARDED_BY", r.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireIpSeesTheRewrittenAddress()
    {
        Assert.Equal(200, Get("/only-doc/", "X-Forwarded-For: 203.0.113.50\r\n").Status);
        Assert.Equal(403, Get("/only-doc/").Status);
        Assert.Equal(403, Get("/only-doc/", "X-Forwarded-For: 10.1.1.1\r\n").Status); // internal proxy: taken, and not in the range
        Assert.Equal(403, Get("/only-doc/", "X-Forwarded-For: garbage\r\n").Status);
    }

    private static byte[] V1(string client, int port, string rest) =>
        Encoding.ASCII.GetBytes($"PROXY TCP4 {client} 127.0.0.1 {port} 80\r\n{rest}");

    [Fact]
    public void ProxyProtocolV1NamesTheClientForEveryRequestOfTheConnection()
    {
        using var c = new RawHttp(_s.ProxyPort);
        c.Send(V1("203.0.113.20", 40000, "GET /cgi-bin/env.cgi?v1 HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 198.51.100.99\r\n\r\n"));
        HttpResponseText first = c.ReadResponse();
        Assert.Equal(200, first.Status);
        Assert.Contains("REMOTE_ADDR=203.0.113.20\n", first.BodyText, StringComparison.Ordinal);
        Assert.Contains("REMOTE_PORT=40000\n", first.BodyText, StringComparison.Ordinal);
        c.Send("GET /only-doc/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.True(_s.WaitForAccessLine("203.0.113.20 127.0.0.1 203.0.113.20 \"GET /only-doc/ HTTP/1.1\" 200"), _s.AccessLog);
    }

    [Fact]
    public void ProxyProtocolV2NamesTheClient()
    {
        byte[] header = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0, 12, 198, 51, 100, 30, 127, 0, 0, 1, 0x9C, 0x40, 0, 80];
        using var c = new RawHttp(_s.ProxyPort);
        c.Send([.. header, .. Encoding.ASCII.GetBytes("GET /cgi-bin/env.cgi?v2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")]);
        HttpResponseText r = c.ReadResponse();
        Assert.Contains("REMOTE_ADDR=198.51.100.30\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("REMOTE_PORT=40000\n", r.BodyText, StringComparison.Ordinal);
        Assert.True(_s.WaitForAccessLine("198.51.100.30 127.0.0.1 198.51.100.30 \"GET /cgi-bin/env.cgi?v2 HTTP/1.1\" 200"), _s.AccessLog);
    }

    [Fact]
    public void HeaderArrivingInPiecesIsWaitedFor()
    {
        byte[] all = V1("203.0.113.21", 40001, "GET /only-doc/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        using var c = new RawHttp(_s.ProxyPort);
        c.Send(all[..4]);
        Thread.Sleep(300);
        c.Send(all[4..30]);
        Thread.Sleep(300);
        c.Send(all[30..]);
        Assert.Equal(200, c.ReadResponse().Status);
    }

    [Fact]
    public void MalformedHeaderClosesTheConnectionWithApachesLine()
    {
        using (var c = new RawHttp(_s.ProxyPort))
        {
            c.Send("PROXY TCP5 203.0.113.22 127.0.0.1 1 2\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Assert.Equal(string.Empty, c.ReadToEnd());
        }

        Assert.True(_s.WaitForErrorLog("AH03499: RemoteIPProxyProtocol: unknown family 'TCP5' in header 'PROXY TCP5 203.0.113.22 127.0.0.1 1 2'"), _s.Tree.ErrorLog);

        // Plain HTTP where a PROXY header is required: closed without an answer.
        using var plain = new RawHttp(_s.ProxyPort);
        plain.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(string.Empty, plain.ReadToEnd());
    }

    [Fact]
    public void ExceptedPeerSpeaksPlainHttp()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        s.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        s.Connect(new IPEndPoint(IPAddress.Loopback, _s.ProxyPort));
        s.Send(Encoding.ASCII.GetBytes("GET /cgi-bin/env.cgi?excepted HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        var text = new StringBuilder();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = s.Receive(buffer)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        Assert.StartsWith("HTTP/1.1 200 OK", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("REMOTE_ADDR=127.0.0.2\n", text.ToString(), StringComparison.Ordinal);
    }
}
