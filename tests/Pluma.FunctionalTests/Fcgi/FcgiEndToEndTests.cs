using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Fcgi;

/// <summary>php-fpm8.2, a <see cref="FakeFcgiBackend"/> and bin/pluma under prefork, worker and event on the PHP application.</summary>
public sealed class FcgiServers : IDisposable
{
    private readonly Dictionary<string, (TempConfTree Tree, PlumaServer Server)> _servers = [];

    public FcgiServers()
    {
        Fpm = PhpFpm.Start();
        Fake = new FakeFcgiBackend();
        DownPort = FreePort.Next();
        try
        {
            foreach (string mpm in new[] { "prefork", "worker", "event" })
            {
                var tree = new TempConfTree();
                tree.SwitchMpm(mpm);
                PhpSite.Install(tree, Fpm,
                    $"ProxyPass /fake/ fcgi://127.0.0.1:{Fake.Port}/fake/\n" +
                    $"ProxyPass /reuse/ fcgi://127.0.0.1:{Fake.Port}/reuse/ enablereuse=on\n" +
                    $"ProxyPass /short/ fcgi://127.0.0.1:{Fake.Port}/short/ timeout=1\n" +
                    $"ProxyPass /down/ fcgi://127.0.0.1:{DownPort}/x/\n" +
                    $"ProxyPass /downsock/ unix:{tree.Top}/missing.sock|fcgi://localhost/x/\n" +
                    "<Location /fake/env>\n" +
                    "  ProxyFCGISetEnvIf \"reqenv('SCRIPT_NAME') =~ m#^/fake/env#\" FIXED \"yes-%{REQUEST_METHOD}\"\n" +
                    "  ProxyFCGISetEnvIf \"true\" !HTTP_X_DROP\n" +
                    "  ProxyFCGISetEnvIf \"reqenv('SCRIPT_NAME') == '/nowhere'\" NEVER \"1\"\n" +
                    "</Location>\n" +
                    "LogLevel warn proxy_fcgi:info\n");
                _servers[mpm] = (tree, PlumaServer.Start(tree));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    internal PhpFpm Fpm { get; }

    public FakeFcgiBackend Fake { get; }

    public int DownPort { get; }

    public TempConfTree Tree(string mpm) => _servers[mpm].Tree;

    public void Dispose()
    {
        foreach (var (tree, server) in _servers.Values)
        {
            server.Dispose();
            tree.Dispose();
        }

        Fake.Dispose();
        Fpm.Dispose();
    }
}

/// <summary>
/// mod_proxy_fcgi end to end with Debian's php8.2-fpm: the front controller behind WordPress's
/// .htaccess (pretty URLs, forms, uploads) on every MPM, then the protocol's corners and the
/// faults (backend down, hanging, closing mid-response) against a fake FastCGI backend.
/// </summary>
public sealed class FcgiEndToEndTests : IClassFixture<FcgiServers>
{
    private readonly FcgiServers _s;

    public FcgiEndToEndTests(FcgiServers servers)
    {
        _s = servers;
    }

    public static TheoryData<string> Mpms => new() { "prefork", "worker", "event" };

    private HttpResponseText Send(string mpm, string method, string target, string headers = "", byte[]? body = null, bool chunked = false) =>
        FcgiDifferentialTests.Exchange(_s.Tree(mpm).Port, method, target, headers, body, chunked);

    [Theory]
    [MemberData(nameof(Mpms))]
    public void PrettyUrlReachesTheFrontController(string mpm)
    {
        HttpResponseText r = Send(mpm, "GET", "/app/hello/world?x=1");
        string root = _s.Tree(mpm).DocumentRoot;
        Assert.Equal(200, r.Status);
        Assert.Equal("index.php", r.Header("X-Script"));
        Assert.StartsWith("text/html", r.Header("Content-Type"), StringComparison.Ordinal);
        string body = r.BodyText;
        Assert.Contains("SCRIPT_NAME='/app/index.php'\n", body, StringComparison.Ordinal);
        Assert.Contains($"SCRIPT_FILENAME='{root}/app/index.php'\n", body, StringComparison.Ordinal);
        Assert.Contains("REQUEST_URI='/app/hello/world?x=1'\n", body, StringComparison.Ordinal);
        Assert.Contains("REDIRECT_URL='/app/hello/world'\n", body, StringComparison.Ordinal);
        Assert.Contains("QUERY_STRING='x=1'\n", body, StringComparison.Ordinal);
        Assert.Contains("HTTPS=(unset)\n", body, StringComparison.Ordinal);
        Assert.Contains("GET={\"x\":\"1\"}\n", body, StringComparison.Ordinal);
        Assert.Equal("static file\n", Send(mpm, "GET", "/app/static.txt").BodyText);
    }

    [Theory]
    [MemberData(nameof(Mpms))]
    public void PathInfoAfterTheScript(string mpm)
    {
        string body = Send(mpm, "GET", "/app/index.php/extra/path").BodyText;
        Assert.Contains("SCRIPT_NAME='/app/index.php'\n", body, StringComparison.Ordinal);
        Assert.Contains("PATH_INFO='/extra/path'\n", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mpms))]
    public void PostFormArrivesInPost(string mpm)
    {
        HttpResponseText r = Send(mpm, "POST", "/app/contact/", "Content-Type: application/x-www-form-urlencoded\r\n", Encoding.ASCII.GetBytes("name=Pluma&list[]=1&list[]=2"));
        Assert.Equal(200, r.Status);
        Assert.Contains("POST={\"name\":\"Pluma\",\"list\":[\"1\",\"2\"]}\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("REQUEST_METHOD='POST'\n", r.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mpms))]
    public void MultipartUploadArrivesInFiles(string mpm)
    {
        byte[] file = new byte[300_000];
        new Random(21).NextBytes(file);
        HttpResponseText r = Send(mpm, "POST", "/app/upload/", "Content-Type: multipart/form-data; boundary=----plumaBoundary7MA4YWxkTrZu0gW\r\n", FcgiDifferentialTests.Multipart(file));
        Assert.Equal(200, r.Status);
#pragma warning disable CA5351 // the PHP side reports md5_file(): a checksum to compare, not security
        string md5 = Convert.ToHexString(MD5.HashData(file)).ToLowerInvariant();
#pragma warning restore CA5351
        Assert.Contains($"FILE photo=beach.bin application/octet-stream 300000 0 {md5}\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("POST={\"title\":\"holiday\"}\n", r.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mpms))]
    public void TcpBackendThroughProxyPassMatch(string mpm)
    {
        HttpResponseText r = Send(mpm, "GET", "/tcp/index.php?via=tcp");
        Assert.Equal(200, r.Status);
        Assert.Contains("SCRIPT_NAME='/tcp/index.php'\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains($"SCRIPT_FILENAME='{_s.Tree(mpm).DocumentRoot}/app/index.php'\n", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("GET={\"via\":\"tcp\"}\n", r.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mpms))]
    public void KeepAliveClientGetsEveryAnswer(string mpm)
    {
        using var c = new RawHttp(_s.Tree(mpm).Port);
        for (int i = 0; i < 5; i++)
        {
            c.Send($"GET /app/page{i}/?n={i} HTTP/1.1\r\nHost: localhost\r\n\r\n");
            HttpResponseText r = c.ReadResponse();
            Assert.Equal(200, r.Status);
            Assert.Contains($"GET={{\"n\":\"{i}\"}}\n", r.BodyText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ScriptStderrGoesToTheErrorLog()
    {
        HttpResponseText r = Send("event", "GET", "/app/cases.php?c=stderr");
        Assert.Equal("logged\n", r.BodyText);
        string log = WaitForLog("event", "boom from php");
        Assert.Contains("[proxy_fcgi:error] [pid ", log, StringComparison.Ordinal);
        // php-fpm joins the two messages into one FCGI_STDERR record; the newline is escaped (Apache's line, byte for byte).
        Assert.Contains("AH01071: Got error 'PHP message: boom from php; PHP message: second\\nline'", log, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusHeaderAndCookiesPassThrough()
    {
        HttpResponseText r = Send("event", "GET", "/app/cases.php?c=status");
        Assert.Equal("HTTP/1.1 418 Short And Stout", r.StatusLine);
        HttpResponseText cookies = Send("event", "GET", "/app/cases.php?c=cookie");
        Assert.Equal(["a=1", "b=2"], cookies.Headers.Where(h => h.Key == "Set-Cookie").Select(h => h.Value).ToArray());
    }

    [Fact]
    public void ParamsAreApachesForProxyPass()
    {
        HttpResponseText r = Send("event", "GET", "/fake/echo/a%20b?q=1");
        Assert.Equal("HTTP/1.1 201 Made Here", r.StatusLine);
        string body = r.BodyText;
        Assert.Contains($"SCRIPT_FILENAME=proxy:fcgi://127.0.0.1:{_s.Fake.Port}/fake/echo/a%20b\n", body, StringComparison.Ordinal);
        Assert.Contains("SCRIPT_NAME=/fake/echo/a b\n", body, StringComparison.Ordinal);
        Assert.Contains("QUERY_STRING=q=1\n", body, StringComparison.Ordinal);
        Assert.Contains("REQUEST_URI=/fake/echo/a%20b?q=1\n", body, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_INTERFACE=CGI/1.1\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH_INFO=", body, StringComparison.Ordinal);
        Assert.Contains("stdin=0 ", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ProxyFcgiSetEnvIfSetsAndUnsetsParams()
    {
        string body = Send("event", "GET", "/fake/env", "X-Drop: 1\r\nX-Keep: 2\r\n").BodyText;
        Assert.Contains("FIXED=yes-GET\n", body, StringComparison.Ordinal);
        Assert.Contains("HTTP_X_KEEP=2\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP_X_DROP", body, StringComparison.Ordinal);
        Assert.DoesNotContain("NEVER", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionsAreReusedOnlyWithEnableReuse()
    {
        using var c = new RawHttp(_s.Tree("event").Port);
        var reused = new List<string>();
        var fresh = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            c.Send("GET /reuse/echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
            reused.Add(c.ReadResponse().BodyText.Split('\n')[0]);
            c.Send("GET /fake/echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
            fresh.Add(c.ReadResponse().BodyText.Split('\n')[0]);
        }

        Assert.All(reused, l => Assert.EndsWith(" keep=1", l, StringComparison.Ordinal));
        Assert.Single(reused.Select(l => l.Split(' ')[0]).Distinct());
        Assert.Equal("served=4", reused[^1].Split(' ')[1]);
        Assert.All(fresh, l => Assert.EndsWith(" served=1 keep=0", l, StringComparison.Ordinal));
        Assert.Equal(4, fresh.Select(l => l.Split(' ')[0]).Distinct().Count());
    }

    [Fact]
    public void PaddedRecordsOfALargeResponseArriveWhole()
    {
        HttpResponseText r = Send("event", "GET", "/fake/big");
        Assert.Equal(200, r.Status);
        Assert.Equal("big", r.Header("X-Fake"));
        Assert.Equal(200_000, r.Body.Length);
        Assert.All(r.Body, b => Assert.Equal((byte)'b', b));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeBodiesAreSentOnceInStdinRecords(bool chunked)
    {
        byte[] body = new byte[300_000];
        new Random(3).NextBytes(body);
        HttpResponseText r = Send("event", "POST", "/fake/echo", "Content-Type: application/octet-stream\r\n", body, chunked);
        Assert.Equal(201, r.Status);
        Assert.Contains($"stdin=300000 sha={Convert.ToHexString(SHA256.HashData(body))}\n", r.BodyText, StringComparison.Ordinal);
        if (chunked)
        {
            // Beyond the 16 KiB read ahead a chunked body streams without a length, as in Apache.
            Assert.DoesNotContain("CONTENT_LENGTH=", r.BodyText, StringComparison.Ordinal);
            Assert.Contains("HTTP_TRANSFER_ENCODING=chunked\n", r.BodyText, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("CONTENT_LENGTH=300000\n", r.BodyText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SmallChunkedBodyGetsItsLength()
    {
        HttpResponseText r = Send("event", "POST", "/fake/echo", "Content-Type: text/plain\r\n", Encoding.ASCII.GetBytes(new string('q', 5000)), chunked: true);
        Assert.Contains("CONTENT_LENGTH=5000\n", r.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP_TRANSFER_ENCODING", r.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendDownIs503WithApacheLogLines()
    {
        HttpResponseText r = Send("event", "GET", "/down/x.php");
        Assert.Equal(503, r.Status);
        string log = WaitForLog("event", "AH01079");
        Assert.Contains($"(111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:{_s.DownPort} (127.0.0.1:{_s.DownPort}) failed", log, StringComparison.Ordinal);
        Assert.Contains("[proxy_fcgi:error] [pid ", log, StringComparison.Ordinal);
        Assert.Contains("AH01079: failed to make connection to backend: 127.0.0.1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUnixSocketIs503WithApacheLogLines()
    {
        Assert.Equal(503, Send("event", "GET", "/downsock/x.php").Status);
        string log = WaitForLog("event", "AH02454");
        Assert.Contains($"(2)No such file or directory: AH02454: FCGI: attempt to connect to Unix domain socket {_s.Tree("event").Top}/missing.sock (localhost:8000) failed", log, StringComparison.Ordinal);
        Assert.Contains("AH01079: failed to make connection to backend: localhost", log, StringComparison.Ordinal);
    }

    [Fact]
    public void HangingBackendIs504AfterTheTimeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseText r = Send("event", "GET", "/short/hang");
        watch.Stop();
        Assert.Equal(504, r.Status);
        Assert.Contains("<title>504 Gateway Timeout</title>", r.BodyText, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 10);
        string log = WaitForLog("event", "AH01075");
        Assert.Contains($"(70007)The timeout specified has expired: [client 127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Contains($"AH01075: Error dispatching request to :{_s.Tree("event").Port}: (polling)", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fake/cut", 5000)]
    [InlineData("/app/cases.php?c=kill", 100_000)]
    public void BackendClosingMidResponseCutsTheClientConnection(string target, int sent)
    {
        using var c = new RawHttp(_s.Tree("event").Port, timeoutMs: 20_000);
        c.Send($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string raw = c.ReadToEnd(); // the server closes although the client asked for keep-alive
        Assert.True(watch.Elapsed.TotalSeconds < 15, "the connection was not closed");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", raw, StringComparison.Ordinal);
        Assert.Contains("Transfer-Encoding: chunked\r\n", raw, StringComparison.Ordinal);
        Assert.False(raw.EndsWith("0\r\n\r\n", StringComparison.Ordinal), "a cut response must not end with the last chunk");
        Assert.True(raw.Length < sent + 1000);
        Assert.Contains("AH01075: Error dispatching request to ", WaitForLog("event", "AH01075"), StringComparison.Ordinal);
    }

    [Fact]
    public void BogusVersionIs503()
    {
        Assert.Equal(503, Send("event", "GET", "/fake/bad-version").Status);
        Assert.Contains("AH01068: Got bogus version 2", WaitForLog("event", "AH01068"), StringComparison.Ordinal);
    }

    private string WaitForLog(string mpm, string needle)
    {
        for (int i = 0; i < 50; i++)
        {
            string log = _s.Tree(mpm).ErrorLog;
            if (log.Contains(needle, StringComparison.Ordinal))
            {
                return log;
            }

            Thread.Sleep(100);
        }

        return _s.Tree(mpm).ErrorLog;
    }
}
