using System.Text;
using Pluma.Connections;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Engine;

/// <summary>
/// Where Pluma reads RFC 9112 more strictly than Apache 2.4.71 (docs/security-http-strictness.md).
/// Every answer is checked at every two-piece split of the request, with a connection that
/// times out once the script is used up: a refusal that waited for body bytes would show as
/// 408, a prompt one is the same 400 (or 501/505) wherever the bytes were cut.
/// </summary>
public class StricterThanApacheTests
{
    private const string Head = "POST /r HTTP/1.1\r\nHost: x\r\n";

    private static readonly string s_badRequest =
        "HTTP/1.1 400 Bad Request\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: " + Wire.Page("400 Bad Request", Wire.BadRequestParagraph).Length
        + "\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Wire.Page("400 Bad Request", Wire.BadRequestParagraph);

    private static readonly string s_badChunk =
        "HTTP/1.1 400 Bad Request\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Wire.Page("400 Bad Request", Wire.BadRequestParagraph, "x");

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked \r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: Chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: CHUNKED\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding:\tchunked\t\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: , chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked, chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: identity\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: \r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked, chunked\r\n")]
    [InlineData("Transfer-Encoding: , chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked,\r\n")]
    [InlineData("Transfer-Encoding: chunked;q=1\r\n")]
    [InlineData("Transfer-Encoding: chunked, gzip\r\n")]
    [InlineData("Transfer-Encoding: xchunked\r\n")]
    public void AmbiguousFramingIsRefusedAtOnceAndCloses(string fields)
    {
        // "hello" is no chunk-size line: a server that took the chunked reading would wait.
        AssertEverySplit(Head + fields + "\r\nhello", s_badRequest);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: gzip, chunked\r\n")]
    public void TransferEncodingInHttp10IsRefused(string fields)
    {
        AssertEverySplit("POST /r HTTP/1.0\r\nHost: x\r\n" + fields + "\r\n5\r\nhello\r\n0\r\n\r\n", s_badRequest);
    }

    [Theory]
    [InlineData("gzip, chunked")]
    [InlineData("identity, chunked")]
    [InlineData("gzip;level=1 , chunked")]
    public void CodingsBeforeChunkedAreNotImplemented(string codings)
    {
        string output = AssertEverySplit(Head + "Transfer-Encoding: " + codings + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n", expected: null);
        Assert.StartsWith("HTTP/1.1 501 Not Implemented\r\n", output, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chunked")]
    [InlineData("Chunked")]
    [InlineData("CHUNKED")]
    [InlineData("chunked ")]
    public void OneChunkedCodingInAnyCaseIsAccepted(string coding)
    {
        var app = new TestApplication { Handler = Echo };
        var (output, step, _) = Wire.Run(app, null, Head + "Transfer-Encoding: " + coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        Assert.EndsWith("\r\n\r\nhello", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    [Theory]
    [InlineData("Foo: a\r\n b\r\n")]
    [InlineData("Foo: a\r\n\tb\r\n")]
    [InlineData("Transfer-Encoding:\r\n chunked\r\n")]
    public void ObsFoldIsRefusedWithAnExplanation(string fields)
    {
        string paragraph = "<p>Your browser sent a request that this server could not understand.<br />\nObsolete line folding is unacceptable.</p>\n";
        string page = Wire.Page("400 Bad Request", paragraph);
        AssertEverySplit(
            "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n",
            "HTTP/1.1 400 Bad Request\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: " + page.Length
                + "\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + page);
    }

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/3.0")]
    [InlineData("HTTP/9.9")]
    public void AnotherMajorVersionIs505(string version)
    {
        string output = AssertEverySplit("GET / " + version + "\r\nHost: x\r\n\r\n", expected: null);
        Assert.StartsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n", output, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5;\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;;a\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=b c\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=\"b\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;=b\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 \r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\t\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a \r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n0;\r\n\r\n")]
    [InlineData("5\r\nhello\r\n0 \r\n\r\n")]
    public void ChunkLinesOutsideTheGrammarAreRefused(string body)
    {
        AssertEverySplit(Head + "Transfer-Encoding: chunked\r\n\r\n" + body, s_badChunk, Echo);
    }

    [Theory]
    [InlineData("5;a=b\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 ; a = b ;c\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=\"b c;\\\"d\"\r\nhello\r\n0\r\n\r\n")]
    [InlineData("0000000000000000005\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n000;last\r\n\r\n")]
    public void ChunkLinesInTheGrammarAreAccepted(string body)
    {
        var app = new TestApplication { Handler = Echo };
        string request = Head + "Transfer-Encoding: chunked\r\n\r\n" + body;
        for (int split = 1; split < request.Length; split++)
        {
            var (output, step, _) = Wire.Run(app, null, request[..split], request[split..]);
            Assert.EndsWith("\r\n\r\nhello", output, StringComparison.Ordinal);
            Assert.Equal(ConnectionStep.WaitForNextRequest, step);
        }
    }

    [Fact]
    public void ChunkExtensionsAreBoundedPerRequest()
    {
        // 40 chunks of one byte, each with a 300-byte extension: 12 KB of bytes nobody reads.
        string extension = ";x=" + new string('a', 297);
        var body = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            body.Append('1').Append(extension).Append("\r\nz\r\n");
        }

        var app = new TestApplication { Handler = Echo };
        var (output, step, _) = Wire.Run(app, null, Head + "Transfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n");
        Assert.Equal(s_badChunk, output);
        Assert.Equal(ConnectionStep.Close, step);

        // The same extensions on 20 chunks (6 KB) pass.
        string fewer = body.ToString()[..(body.Length / 2)];
        (output, step, _) = Wire.Run(app, null, Head + "Transfer-Encoding: chunked\r\n\r\n" + fewer + "0\r\n\r\n");
        Assert.EndsWith("\r\n\r\n" + new string('z', 20), output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    [Fact]
    public void ChunkSizeOverflowIs413AsApacheAnswers()
    {
        string output = AssertEverySplit(Head + "Transfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n", expected: null, Echo);
        Assert.StartsWith("HTTP/1.1 413 Request Entity Too Large\r\n", output, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: 5\r\n")]
    [InlineData("transfer-encoding: chunked\r\n")]
    [InlineData("Host: evil\r\n")]
    [InlineData("X-Ok: 1\r\nConnection: close\r\n")]
    [InlineData("Authorization: Basic eDp5\r\n")]
    public void FramingAndRoutingFieldsInTrailersAreRefused(string trailer)
    {
        AssertEverySplit(Head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" + trailer + "\r\n", s_badChunk, Echo);
    }

    [Theory]
    [InlineData("bad trailer\r\n")]
    [InlineData("X-T : a\r\n")]
    [InlineData("X-T: a\u0001b\r\n")]
    [InlineData("X-T: a\r\n b\r\n")]
    [InlineData("X-T: a\rb\r\n")]
    public void MalformedTrailersAreRefused(string trailer)
    {
        AssertEverySplit(Head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" + trailer + "\r\n", s_badChunk, Echo);
    }

    [Fact]
    public void HarmlessTrailersAreReadAndDropped()
    {
        var app = new TestApplication { Handler = Echo };
        var (output, step, _) = Wire.Run(app, null, Head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 1\r\nServer-Timing: a\r\n\r\n" + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(2, output.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    /// <summary>
    /// Runs <paramref name="request"/> whole and cut in two at every byte, with a connection that
    /// times out when the script ends; each run must give the same output and close. Returns it.
    /// </summary>
    private static string AssertEverySplit(string request, string? expected, Action<HttpContext>? handler = null)
    {
        var app = new TestApplication { Handler = handler ?? TestApplication.Hello };
        string whole = Run(app, request);
        if (expected is not null)
        {
            Assert.Equal(expected, whole);
        }

        for (int split = 1; split < request.Length; split++)
        {
            Assert.Equal(whole, Run(app, request[..split], request[split..]));
        }

        return whole;
    }

    private static string Run(TestApplication app, params string[] pieces)
    {
        var connection = InMemoryConnection.Create();
        connection.TimeoutWhenEmpty = true;
        foreach (string piece in pieces)
        {
            connection.Enqueue(piece);
        }

        ConnectionStep step = new HttpConnectionHandler(app, new HttpServerOptions()).Serve(connection);
        Assert.Equal(ConnectionStep.Close, step);
        return Wire.MaskDate(connection.Output);
    }

    private static void Echo(HttpContext c)
    {
        var body = new StringBuilder();
        Span<byte> buffer = stackalloc byte[3];
        int n;
        while ((n = c.Request.Read(buffer)) > 0)
        {
            body.Append(Encoding.Latin1.GetString(buffer[..n]));
        }

        c.Response.Write(Encoding.Latin1.GetBytes(body.ToString()));
    }
}
