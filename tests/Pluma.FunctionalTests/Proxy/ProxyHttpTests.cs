using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Proxy;

/// <summary>
/// mod_proxy and mod_proxy_http end to end: the real bin/pluma in front of <see cref="TestBackend"/>.
/// Expected answers and log lines are Debian's apache2 2.4.71's on the same configuration.
/// </summary>
public sealed class ProxyHttpTests : IClassFixture<ProxyHttpTests.Server>
{
    private readonly Server _s;

    public ProxyHttpTests(Server server)
    {
        _s = server;
    }

    private HttpResponseText Get(string target, string extraHeaders = "", string method = "GET")
    {
        using var c = new RawHttp(_s.Tree.Port);
        c.Send($"{method} {target} HTTP/1.1\r\nHost: localhost:{_s.Tree.Port}\r\n{extraHeaders}Connection: close\r\n\r\n");
        return c.ReadResponse(headRequest: method == "HEAD");
    }

    [Fact]
    public void ProxyPassForwardsPathQueryAndForwardedFields()
    {
        HttpResponseText r = Get("/app/echo/a%20b?x=1&y=%41", "X-Forwarded-For: 9.9.9.9\r\nConnection: X-Drop\r\nX-Drop: 1\r\nX-Keep: 2\r\n");
        Assert.Equal(200, r.Status);
        Assert.Equal("echo", r.Header("X-Backend"));
        Assert.Null(r.Header("Keep-Alive") is { } ka && ka.Contains("timeout=5", StringComparison.Ordinal) ? ka : null);
        string body = r.BodyText;
        Assert.StartsWith("GET /echo/a%20b?x=1&y=%41 ", body, StringComparison.Ordinal);
        Assert.Contains($"Host: 127.0.0.1:{_s.Backend.Port}\n", body, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For: 9.9.9.9, 127.0.0.1\n", body, StringComparison.Ordinal);
        Assert.Contains($"X-Forwarded-Host: localhost:{_s.Tree.Port}\n", body, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Server: ", body, StringComparison.Ordinal);
        Assert.Contains("X-Keep: 2\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Drop", body, StringComparison.Ordinal);
        Assert.Contains("Connection: Keep-Alive\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ExclusionIsServedLocally()
    {
        HttpResponseText r = Get("/app/excluded/nothing.txt");
        Assert.Equal(404, r.Status);
        Assert.Null(r.Header("X-Backend"));
    }

    [Fact]
    public void ProxyPassMatchSubstitutes()
    {
        HttpResponseText r = Get("/m/some/file.txt");
        Assert.Equal(200, r.Status);
        Assert.StartsWith("GET /echo/some/file ", r.BodyText, StringComparison.Ordinal);
        Assert.Equal(404, Get("/m/some/file.html").Status);
    }

    [Fact]
    public void LocationProxyPassWithPreserveHost()
    {
        HttpResponseText r = Get("/loc/x");
        Assert.Equal(200, r.Status);
        Assert.StartsWith("GET /echo/x ", r.BodyText, StringComparison.Ordinal);
        Assert.Contains($"Host: localhost:{_s.Tree.Port}\n", r.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void ProxyPassReverseRewritesLocationAndContentLocation()
    {
        HttpResponseText r = Get("/app/redirect");
        Assert.Equal(302, r.Status);
        Assert.Equal($"http://localhost:{_s.Tree.Port}/app/app/landing", r.Header("Location"));
        Assert.Equal($"http://localhost:{_s.Tree.Port}/app/app/x", r.Header("Content-Location"));
    }

    [Fact]
    public void ChunkedAndUntilCloseBodiesArrive()
    {
        HttpResponseText chunked = Get("/app/chunked");
        Assert.Equal(200, chunked.Status);
        Assert.Equal("hello, world", chunked.BodyText);
        HttpResponseText close = Get("/app/close");
        Assert.Equal(200, close.Status);
        Assert.Equal("until the end\n", close.BodyText);
        HttpResponseText big = Get("/app/big");
        Assert.Equal(200, big.Status);
        Assert.EndsWith("line 19999\n", big.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadGetsTheBackendsLengthAndNoBody()
    {
        HttpResponseText r = Get("/app/big", method: "HEAD");
        Assert.Equal(200, r.Status);
        Assert.Empty(r.Body);
    }

    [Fact]
    public void BackendConnectionIsReusedAcrossKeepAliveRequests()
    {
        using var c = new RawHttp(_s.Tree.Port);
        var conns = new System.Collections.Generic.List<string>();
        for (int i = 0; i < 5; i++)
        {
            c.Send($"GET /app/echo/pool{i} HTTP/1.1\r\nHost: localhost\r\n\r\n");
            HttpResponseText r = c.ReadResponse();
            Assert.Equal(200, r.Status);
            string first = r.BodyText.Split('\n')[0];
            conns.Add(first[(first.IndexOf("conn=", StringComparison.Ordinal) + 5)..]);
        }

        Assert.Single(conns.Distinct());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300_000)]
    public void RequestBodyWithLengthIsStreamedOnce(int size)
    {
        byte[] body = new byte[size];
        new Random(size).NextBytes(body);
        using var c = new RawHttp(_s.Tree.Port);
        c.Send($"POST /app/echo/post HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n");
        c.Send(body);
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(200, r.Status);
        Assert.Contains($"Content-Length: {size}\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains($"body={size} sha={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body))}", r.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, "Content-Length: 100\n")]
    [InlineData(100_000, "Transfer-Encoding: chunked\n")]
    public void ChunkedRequestBodyIsPrefetchedOrStreamedChunked(int size, string framing)
    {
        byte[] body = Encoding.ASCII.GetBytes(new string('z', size));
        using var c = new RawHttp(_s.Tree.Port);
        var sb = new StringBuilder($"POST /app/echo/te-in HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int at = 0; at < size; at += 4000)
        {
            int n = Math.Min(4000, size - at);
            sb.Append(n.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n").Append('z', n).Append("\r\n");
        }

        sb.Append("0\r\n\r\n");
        c.Send(sb.ToString());
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(200, r.Status);
        Assert.True(r.BodyText.Contains(framing, StringComparison.Ordinal), r.BodyText);
        Assert.Contains($"body={size} sha={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body))}", r.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendDownIs503WithApacheLogLines()
    {
        HttpResponseText r = Get("/down/x");
        Assert.Equal(503, r.Status);
        Assert.Contains("<title>503 Service Unavailable</title>", r.BodyText, StringComparison.Ordinal);
        string log = WaitForLog("AH01114");
        Assert.Contains($"[proxy:error] [pid ", log, StringComparison.Ordinal);
        Assert.Contains($"(111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:{_s.DownPort} (127.0.0.1:{_s.DownPort}) failed", log, StringComparison.Ordinal);
        Assert.Contains("AH01114: HTTP: failed to make connection to backend: 127.0.0.1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void HangingBackendIs502ProxyErrorAfterTheTimeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseText r = Get("/hang/x");
        watch.Stop();
        Assert.Equal(502, r.Status);
        Assert.Equal("HTTP/1.1 502 Proxy Error", r.StatusLine);
        Assert.Contains("<title>502 Proxy Error</title>", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("<h1>Proxy Error</h1>", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("The proxy server could not handle the request<p>Reason: <strong>Error reading from remote server</strong></p></p>", r.BodyText, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 10);
        string log = WaitForLog("AH00898");
        Assert.Contains($"(70007)The timeout specified has expired: [client 127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Contains($"AH01102: error reading status line from remote server 127.0.0.1:{_s.Backend.Port}", log, StringComparison.Ordinal);
        Assert.Contains("AH00898: Error reading from remote server returned by /hang/x", log, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorOverrideUsesTheLocalPage()
    {
        HttpResponseText plain = Get("/app/error");
        Assert.Equal(404, plain.Status);
        Assert.Equal("backend 404\n", plain.BodyText);
        HttpResponseText over = Get("/override/x");
        Assert.Equal(404, over.Status);
        Assert.Contains("<title>404 Not Found</title>", over.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void ProxySectionRequireDenies()
    {
        Assert.Equal(403, Get("/private/x").Status);
        Assert.Equal(200, Get("/app/echo/not-private").Status);
    }

    private string WaitForLog(string needle)
    {
        for (int i = 0; i < 50; i++)
        {
            string log = _s.Tree.ErrorLog;
            if (log.Contains(needle, StringComparison.Ordinal))
            {
                return log;
            }

            Thread.Sleep(100);
        }

        return _s.Tree.ErrorLog;
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Backend = new TestBackend();
            DownPort = FreePort.Next();
            Tree = new TempConfTree();
            int b = Backend.Port;
            Tree.AppendToMainConfig(
                "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n" +
                "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n" +
                "ProxyPass /app/excluded !\n" +
                $"ProxyPass /app/ http://127.0.0.1:{b}/ timeout=5 retry=0\n" +
                $"ProxyPassReverse /app/ http://127.0.0.1:{b}/\n" +
                $"ProxyPassMatch ^/m/(.*)\\.txt$ http://127.0.0.1:{b}/echo/$1\n" +
                $"<Location /loc/>\nProxyPass http://127.0.0.1:{b}/echo/\nProxyPreserveHost On\n</Location>\n" +
                $"ProxyPass /down/ http://127.0.0.1:{DownPort}/\n" +
                $"ProxyPass /hang/ http://127.0.0.1:{b}/hang/ timeout=1\n" +
                $"<Location /override/>\nProxyPass http://127.0.0.1:{b}/error/\nProxyErrorOverride On\n</Location>\n" +
                $"ProxyPass /private/ http://127.0.0.1:{b}/private/\n" +
                $"<Proxy \"http://127.0.0.1:{b}/private/*\">\nRequire all denied\n</Proxy>\n");
            Process = PlumaServer.Start(Tree);
        }

        public TestBackend Backend { get; }

        public int DownPort { get; }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
            Backend.Dispose();
        }
    }
}
