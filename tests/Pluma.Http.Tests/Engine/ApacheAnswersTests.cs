using System.Linq;
using Pluma.Connections;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Engine;

/// <summary>Each expected answer was captured from Debian's apache2 2.4.71 on 127.0.0.1 (Date masked).</summary>
public class ApacheAnswersTests
{
    private const string Ok11 = "HTTP/1.1 200 OK\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 11\r\nContent-Type: text/html\r\n\r\nhello world";

    private static string BadRequest(string host = "localhost", string notes = "") =>
        "HTTP/1.1 400 Bad Request\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: " + Wire.Page("400 Bad Request", "<p>Your browser sent a request that this server could not understand.<br />\n" + notes + "</p>\n", host).Length
        + "\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Wire.Page("400 Bad Request", "<p>Your browser sent a request that this server could not understand.<br />\n" + notes + "</p>\n", host);

    [Fact]
    public void SimpleGetIsAnsweredAsApacheDoes()
    {
        var (output, step, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(Ok11, output);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    [Fact]
    public void BadRequestPageIsByteForByteApaches()
    {
        var (output, step, _) = Wire.Run("GET / HTTP/1.1\r\n\r\n");
        Assert.Equal(BadRequest(), output);
        Assert.Contains("Content-Length: 341\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x y\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: \r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x:abc\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nFoo\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nFoo : a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n: bar\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nF(o: bar\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nFoo: a\u0001b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\nHost: x\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 \r\nHost: x\r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET x HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET / FOO/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET / http/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/01.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/1.10\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/0.9\r\nHost: x\r\n\r\n")]
    [InlineData("GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /a?b#c HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET http://x/a#b HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;q=1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n\r\n")]
    public void MalformedHeadGetsApachesBadRequestAndCloses(string request)
    {
        var (output, step, _) = Wire.Run(request);
        Assert.Equal(BadRequest(), output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Theory]
    [InlineData("GET /a%zzb HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /../x HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /a/../../x HTTP/1.1\r\nHost: x\r\n\r\n")]
    public void BadPathGetsBadRequestNamingTheHost(string request)
    {
        var (output, step, _) = Wire.Run(request);
        Assert.Equal(BadRequest("x"), output);
        Assert.Contains("Content-Length: 333\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void EncodedNulIsNotFoundAndKeepsTheConnection()
    {
        var (output, step, _) = Wire.Run("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 404 Not Found\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 303\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("404 Not Found", "<p>The requested URL was not found on this server.</p>\n", "x"),
            output);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    [Fact]
    public void RequestLineOverTheLimitIs414()
    {
        var (output, step, _) = Wire.Run("GET /" + new string('a', 8178) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 414 Request-URI Too Long\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 363\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("414 Request-URI Too Long", "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n</p>\n"),
            output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void RequestLineAtApachesBoundaryIsAccepted()
    {
        // 8191 bytes before CRLF pass on Apache 2.4.71 (LimitRequestLine 8190), 8192 do not.
        var (output, _, _) = Wire.Run("GET /" + new string('a', 8177) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8186, "HTTP/1.1 200 OK")]
    [InlineData(8187, "HTTP/1.1 400 Bad Request")]
    public void FieldSizeLimitMatchesApachesBoundary(int valueLength, string expected)
    {
        var (output, _, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\nFoo: " + new string('a', valueLength) + "\r\n\r\n");
        Assert.StartsWith(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedFieldPageCarriesApachesNote()
    {
        var (output, _, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\nFoo: " + new string('a', 8200) + "\r\n\r\n");
        Assert.Equal(BadRequest(notes: "Size of a request header field exceeds server limit."), output);
        Assert.Contains("Content-Length: 393\r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyFieldsPageCarriesApachesNote()
    {
        string fields = string.Concat(Enumerable.Range(0, 101).Select(i => "H" + i + ": v\r\n"));
        var (output, _, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
        Assert.Equal(BadRequest(notes: "The number of request header fields exceeds this server's limit."), output);
        Assert.Contains("Content-Length: 405\r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HundredFieldsAreAccepted()
    {
        string fields = string.Concat(Enumerable.Range(0, 99).Select(i => "H" + i + ": v\r\n"));
        var (output, _, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
        Assert.Equal(Ok11, output);
    }

    [Fact]
    public void UnknownMethodIs501WithAllowAndClose()
    {
        var (output, step, _) = Wire.Run("FOO / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 501 Not Implemented\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nAllow: GET,POST,OPTIONS,HEAD\r\nContent-Length: 309\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("501 Not Implemented", "<p>FOO not supported for current URL.<br />\n</p>\n", "x"),
            output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void LowercaseMethodIsUnknown()
    {
        var (output, _, _) = Wire.Run("get / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 501 Not Implemented", output, StringComparison.Ordinal);
        Assert.Contains("<p>get not supported for current URL.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceWhenDisabledIs405WithEmptyAllowAndKeepsTheConnection()
    {
        var (output, step, _) = Wire.Run("TRACE / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 405 Method Not Allowed\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nAllow: \r\nContent-Length: 329\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("405 Method Not Allowed", "<p>The requested method TRACE is not allowed for this URL.</p>\n", "x"),
            output);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    [Fact]
    public void UnsupportedExpectationIs417AndClosesWithoutConnectionHeader()
    {
        var (output, step, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 417 Expectation Failed\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 462\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("417 Expectation Failed", "<p>The expectation given in the Expect request-header\nfield could not be met by this server.\nThe client sent<pre>\n    Expect: foo\n</pre>\n</p><p>Only the 100-continue expectation is supported.</p>\n", "x"),
            output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void ObsFoldIsJoinedWithOneSpaceUnderUnsafe()
    {
        // Apache joins under Strict too; Pluma refuses it there (StricterThanApacheTests).
        string? seen = null;
        var app = new TestApplication { Handler = c => { seen = c.Request.Headers["Foo"]; TestApplication.Hello(c); } };
        var (output, _, _) = Wire.Run(app, new HttpServerOptions { StrictProtocol = false }, "GET / HTTP/1.1\r\nHost: x\r\nFoo: a\r\n  b\r\n\r\n");
        Assert.Equal(Ok11, output);
        Assert.Equal("a b", seen);
    }

    [Fact]
    public void LeadingEmptyLinesAreSkipped()
    {
        var (output, _, _) = Wire.Run("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(Ok11, output);
    }

    [Fact]
    public void LaterMinorVersionIsServedAsHttp11()
    {
        var (output, step, _) = Wire.Run("GET / HTTP/1.2\r\nHost: x\r\n\r\n");
        Assert.Equal(Ok11, output);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
    }

    [Fact]
    public void Http09GetsTheBodyOnlyAndClose()
    {
        var (output, step, _) = Wire.Run("GET /\r\n");
        Assert.Equal("hello world", output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void Http09IsRefusedUnderRequire10()
    {
        var (output, _, _) = Wire.Run(new TestApplication(), new HttpServerOptions { AllowHttp09 = false }, "GET /\r\n");
        Assert.StartsWith("HTTP/1.1 400 Bad Request", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HostIsLoweredAndLosesItsTrailingDotAndPortGoesToTheFooter()
    {
        var app = new TestApplication { Handler = c => c.SendErrorPage(404) };
        var (output, _, _) = Wire.Run(app, null, "GET /nope HTTP/1.1\r\nHost: X.Example.COM.:8080\r\n\r\n");
        Assert.Contains("Content-Length: 317\r\n", output, StringComparison.Ordinal);
        Assert.Contains("Server at x.example.com Port 8080</address>", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadErrorPageHasNoBodyAndNoLength()
    {
        var app = new TestApplication { Handler = c => c.SendErrorPage(404) };
        var (output, _, _) = Wire.Run(app, null, "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("HTTP/1.1 404 Not Found\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n", output);
    }
}
