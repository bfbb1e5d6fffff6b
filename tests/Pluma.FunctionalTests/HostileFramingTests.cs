using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Ambiguous or out-of-grammar framing sent to the real binary over raw sockets: each gets its
/// answer and a closed connection at once, never a wait for a body that will not come (Apache's
/// answers beside them are in docs/security-http-strictness.md). The requests POST to a static
/// file, whose handler discards the body: on the old main, Transfer-Encoding with
/// Content-Length sat there until mod_reqtimeout's 10 s and answered 408.
/// </summary>
public sealed class HostileFramingTests : IClassFixture<HostileFramingTests.Server>
{
    /// <summary>Far below KeepAliveTimeout (5 s) and RequestReadTimeout body=10, far above a loaded machine's answer.</summary>
    private static readonly TimeSpan s_prompt = TimeSpan.FromSeconds(3);

    private const string Post = "POST /index.html HTTP/1.1\r\nHost: localhost\r\n";
    private const string Chunked = Post + "Transfer-Encoding: chunked\r\n\r\n";

    private static readonly Dictionary<string, (string Request, int Status)> s_cases = new(StringComparer.Ordinal)
    {
        ["TE 'chunked ' with CL"] = (Post + "Transfer-Encoding: chunked \r\nContent-Length: 5\r\n\r\nhello", 400),
        ["TE 'Chunked' with CL"] = (Post + "Transfer-Encoding: Chunked\r\nContent-Length: 5\r\n\r\nhello", 400),
        ["TE 'CHUNKED' with CL, CL first"] = (Post + "Content-Length: 5\r\nTransfer-Encoding: CHUNKED\r\n\r\nhello", 400),
        ["TE ', chunked' with CL"] = (Post + "Transfer-Encoding: , chunked\r\nContent-Length: 5\r\n\r\nhello", 400),
        ["TE obs-folded with CL"] = (Post + "Transfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\nhello", 400),
        ["TE chunked with CL and a chunked body"] = (Post + "Transfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
        ["TE 'chunked, chunked'"] = (Post + "Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
        ["TE on two lines"] = (Post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
        ["TE 'gzip, chunked'"] = (Post + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501),
        ["TE 'identity' with CL"] = (Post + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello", 400),
        ["TE empty with CL"] = (Post + "Transfer-Encoding: \r\nContent-Length: 5\r\n\r\nhello", 400),
        ["TE in HTTP/1.0"] = ("POST /index.html HTTP/1.0\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello", 400),
        ["Fragment in the target"] = ("GET /index.html#top HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
        ["HTTP/2.0 on an HTTP/1 connection"] = ("GET /index.html HTTP/2.0\r\nHost: localhost\r\n\r\n", 505),
        ["obs-fold in a header"] = ("GET /index.html HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n b\r\n\r\n", 400),
        ["chunk-size with a bare semicolon"] = (Chunked + "5;\r\nhello\r\n0\r\n\r\n", 400),
        ["chunk-ext value that is no token"] = (Chunked + "5;a=b c\r\nhello\r\n0\r\n\r\n", 400),
        ["chunk-size with trailing whitespace"] = (Chunked + "5 \r\nhello\r\n0\r\n\r\n", 400),
        ["chunk-size overflow"] = (Chunked + "10000000000000005\r\nhello\r\n0\r\n\r\n", 413),
        ["Content-Length in the trailer"] = (Chunked + "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n", 400),
        ["malformed trailer line"] = (Chunked + "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", 400),
        ["CR without LF in a header"] = ("GET /index.html HTTP/1.1\r\nHost: localhost\r\nX-A: a\rX-B: b\r\n\r\n", 400),
        ["whitespace before a colon"] = ("GET /index.html HTTP/1.1\r\nHost: localhost\r\nX-A : a\r\n\r\n", 400),
    };

    private readonly Server _server;

    public HostileFramingTests(Server server)
    {
        _server = server;
    }

    public static IEnumerable<object[]> CaseNames()
    {
        foreach (string name in s_cases.Keys)
        {
            yield return [name];
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void IsAnsweredAndClosedAtOnce(string name)
    {
        (string request, int status) = s_cases[name];
        using var c = new RawHttp(_server.Tree.Port, timeoutMs: 20_000);
        var clock = Stopwatch.StartNew();
        c.Send(request);
        string all = c.ReadToEnd();
        TimeSpan elapsed = clock.Elapsed;

        HttpResponseText r = HttpResponseText.ParseHead(all);
        Assert.Equal(status, r.Status);
        Assert.Equal("close", r.Header("Connection"));
        Assert.True(elapsed < s_prompt, $"{name}: the connection closed after {elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData("5;name=value\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 ; a = \"quoted; value\"\r\nhello\r\n000\r\nX-Checksum: 1\r\n\r\n")]
    [InlineData("0000000000000000005\r\nhello\r\n0\r\n\r\n")]
    public void ChunkedBodiesInTheGrammarKeepTheConnection(string body)
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send(Chunked + body);
        HttpResponseText first = c.ReadResponse();
        Assert.Equal(200, first.Status);
        Assert.NotEqual("close", first.Header("Connection"));

        c.Send("GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
    }

    [Fact]
    public void StrictRefusalsAreNamedInTheErrorLogAtInfo()
    {
        using (var c = new RawHttp(_server.Tree.Port))
        {
            c.Send(Post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello");
            Assert.StartsWith("HTTP/1.1 400 ", c.ReadToEnd(), StringComparison.Ordinal);
        }

        var clock = Stopwatch.StartNew();
        while (!_server.Tree.ErrorLog.Contains("PL00060: request refused (400): Transfer-Encoding together with Content-Length (RFC 9112 6.3)", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "no PL00060 line in the error log:\n" + _server.Tree.ErrorLog);
            Thread.Sleep(100);
        }
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Tree = new TempConfTree();
            Tree.AppendToMainConfig("LogLevel info");
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
