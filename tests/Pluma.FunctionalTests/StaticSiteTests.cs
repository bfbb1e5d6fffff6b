using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>The bundled site served by the real binary (event MPM) on a free loopback port.</summary>
public sealed class StaticSiteTests : IClassFixture<StaticSiteTests.Server>
{
    private readonly Server _server;

    public StaticSiteTests(Server server)
    {
        _server = server;
    }

    [Fact]
    public void StartPageIsServedWithApachesHeaders()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.Equal("HTTP/1.1 200 OK", r.StatusLine);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_server.Tree.DocumentRoot, "index.html")), r.Body);
        Assert.Equal("text/html", r.Header("Content-Type"));
        Assert.Equal("bytes", r.Header("Accept-Ranges"));
        Assert.NotNull(r.Header("ETag"));
        Assert.NotNull(r.Header("Last-Modified"));
        Assert.StartsWith("Pluma/", r.Header("Server"));
    }

    [Fact]
    public void HeadHasTheHeadersButNoBody()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        string all = c.ReadToEnd();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", all);
        Assert.EndsWith("\r\n\r\n", all);
    }

    [Fact]
    public void MissingFileIsApaches404Page()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET /no-such-file HTTP/1.1\r\nHost: localhost\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(404, r.Status);
        Assert.Contains("<title>404 Not Found</title>", r.BodyText);
        Assert.Contains("<p>The requested URL was not found on this server.</p>", r.BodyText);
    }

    [Fact]
    public void DirectoryWithoutSlashRedirects()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET /files HTTP/1.1\r\nHost: localhost\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(301, r.Status);
        // UseCanonicalName Off: the Host header's name, and the connection's local port since the
        // Host header gave none (Apache's ap_get_server_port).
        Assert.Equal($"http://localhost:{_server.Tree.Port}/files/", r.Header("Location"));
    }

    [Fact]
    public void DirectoryListingIsGenerated()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET /files/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(200, r.Status);
        Assert.Contains("<title>Index of /files</title>", r.BodyText);
        Assert.Contains("<a href=\"big.bin\">big.bin</a>", r.BodyText);
    }

    [Fact]
    public void OneMebibyteFileArrivesIntactOverCurl()
    {
        string outFile = Path.Combine(_server.Tree.Top, "downloaded.bin");
        ProcessResult r = ProcessRunner.Run("curl", ["-sS", "-o", outFile, "-w", "%{http_code} %{size_download}", $"http://127.0.0.1:{_server.Tree.Port}/files/big.bin"]);
        Assert.Equal("200 1048576", r.StandardOutput);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(_server.Tree.DocumentRoot, "files", "big.bin"))), SHA256.HashData(File.ReadAllBytes(outFile)));
    }

    [Theory]
    [InlineData("/", "<title>Pluma: It works</title>")]
    [InlineData("/files/", "<title>Index of /files</title>")]
    public void CurlFetchesTheStartPageAndTheListing(string path, string expected)
    {
        ProcessResult r = ProcessRunner.Run("curl", ["-sS", "-w", "\n%{http_code}", $"http://127.0.0.1:{_server.Tree.Port}{path}"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(expected, r.StandardOutput);
        Assert.EndsWith("\n200", r.StandardOutput);
    }

    [Theory]
    [InlineData("/files/", 0)]
    [InlineData("/files/big.bin", 1048576)]
    public void AbFetchesTheListingAndTheLargeFile(string path, int length)
    {
        ProcessResult r = ProcessRunner.Run("ab", ["-q", "-n", "50", "-c", "5", $"http://127.0.0.1:{_server.Tree.Port}{path}"], timeoutMs: 60_000);
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Contains("Complete requests:      50", r.StandardOutput);
        Assert.Contains("Failed requests:        0", r.StandardOutput);
        if (length > 0)
        {
            Assert.Contains($"Document Length:        {length} bytes", r.StandardOutput);
        }
    }

    [Fact]
    public void RangeRequestGetsPartialContent()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=10-19\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(206, r.Status);
        Assert.Equal("bytes 10-19/1048576", r.Header("Content-Range"));
        Assert.Equal(10, r.Body.Length);
    }

    [Fact]
    public void ConditionalGetWithTheETagIsNotModified()
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        string etag = c.ReadResponse().Header("ETag")!;
        c.Send($"GET / HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: {etag}\r\n\r\n");
        Assert.Equal(304, c.ReadResponse().Status);
    }

    [Fact]
    public void KeepAliveConnectionServesMaxKeepAliveRequestsPlusOneAsApacheDoes()
    {
        // Debian's MaxKeepAliveRequests 100: Apache answers 101 requests, the last with Connection: close.
        using var c = new RawHttp(_server.Tree.Port);
        for (int i = 0; i < 101; i++)
        {
            c.Send("GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
            HttpResponseText r = c.ReadResponse();
            Assert.Equal(200, r.Status);
            Assert.Equal(i == 100 ? "close" : null, r.Header("Connection"));
        }

        Assert.Equal("", c.ReadToEnd());
    }

    [Fact]
    public async Task HttpClientReusesKeepAliveConnections()
    {
        using var client = new HttpClient();
        for (int i = 0; i < 20; i++)
        {
            using HttpResponseMessage m = await client.GetAsync($"http://127.0.0.1:{_server.Tree.Port}/");
            Assert.Equal(System.Net.HttpStatusCode.OK, m.StatusCode);
        }
    }

    [Fact]
    public void AbCompletesEveryRequestWithKeepAlive()
    {
        ProcessResult r = ProcessRunner.Run("ab", ["-q", "-k", "-n", "2000", "-c", "10", $"http://127.0.0.1:{_server.Tree.Port}/"], timeoutMs: 60_000);
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Contains("Complete requests:      2000", r.StandardOutput);
        Assert.Contains("Failed requests:        0", r.StandardOutput);
    }

    [Fact]
    public void MalformedRequestGets400AndTheServerKeepsServing()
    {
        using (var c = new RawHttp(_server.Tree.Port))
        {
            c.Send("GET / HTTP/1.1\r\nBad Header\r\n\r\n");
            Assert.Equal(400, c.ReadResponse().Status);
        }

        using var again = new RawHttp(_server.Tree.Port);
        again.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, again.ReadResponse().Status);
    }

    [Fact]
    public void AccessLogGetsCombinedLines()
    {
        using (var c = new RawHttp(_server.Tree.Port))
        {
            c.Send("GET /?logged HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pluma-test\r\nConnection: close\r\n\r\n");
            c.ReadResponse();
        }

        string log = Path.Combine(_server.Tree.LogDir, "access.log");
        string text = "";
        for (int i = 0; i < 50 && !text.Contains("/?logged", StringComparison.Ordinal); i++)
        {
            System.Threading.Thread.Sleep(100);
            text = File.Exists(log) ? File.ReadAllText(log) : "";
        }

        Assert.Matches(@"127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] ""GET /\?logged HTTP/1\.1"" 200 \d+ ""-"" ""pluma-test""", text);
    }

    /// <summary>One server for the class: the bundled tree with a files/ folder added.</summary>
    public sealed class Server : IDisposable
    {
        public Server()
        {
            Tree = new TempConfTree();
            string files = Path.Combine(Tree.DocumentRoot, "files");
            Directory.CreateDirectory(files);
            var data = new byte[1024 * 1024];
            new Random(42).NextBytes(data);
            File.WriteAllBytes(Path.Combine(files, "big.bin"), data);
            File.WriteAllText(Path.Combine(files, "small.txt"), "hello\n");
            Process = PlumaServer.Start(Tree);
        }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
        }
    }
}
