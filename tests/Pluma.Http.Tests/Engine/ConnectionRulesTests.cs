using System.Collections.Generic;
using System.Text;
using Pluma.Connections;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Engine;

public class ConnectionRulesTests
{
    private const string Get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    [Fact]
    public void EveryTwoPieceSplitGivesTheSameAnswer()
    {
        const string request = "POST /a?b=c HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n";
        var app = new TestApplication { Handler = Echo };
        string whole = Wire.Run(app, null, request).Output;
        for (int split = 1; split < request.Length; split++)
        {
            var (output, step, _) = Wire.Run(app, null, request[..split], request[split..]);
            Assert.Equal(whole, output);
            Assert.Equal(ConnectionStep.WaitForNextRequest, step);
        }

        Assert.EndsWith("\r\n\r\n/a b=c hello", whole, StringComparison.Ordinal);
    }

    [Fact]
    public void PipelinedRequestsAreAllServedAndKeepAliveMaxCountsDown()
    {
        const string ka = "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
        var (output, step, connection) = Wire.Run(ka + ka + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Contains("Keep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\nContent-Type", output, StringComparison.Ordinal);
        Assert.Contains("Keep-Alive: timeout=5, max=99\r\n", output, StringComparison.Ordinal);
        Assert.EndsWith("Connection: close\r\nContent-Type: text/html\r\n\r\nhello world", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
        Assert.Equal(3, connection.RequestCount);
    }

    [Fact]
    public void HostAndPathAreTheRequestsOwnWhenAKeepAliveClientChangesThem()
    {
        // The engine reuses the last Host and path strings when the bytes repeat: a change of
        // either (same length, other bytes; longer; encoded) must still give the new value.
        var seen = new List<string>();
        var app = new TestApplication { Handler = c => { seen.Add(c.Request.Host + " " + c.Request.Path); TestApplication.Hello(c); } };
        static string Req(string target, string host) => "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
        var (_, step, connection) = Wire.Run(app, null,
            Req("/a.txt", "Example.ORG") + Req("/a.txt", "example.org") + Req("/b.txt", "example.net") + Req("/b.txt", "example.net:8080")
            + Req("/b%2etxt", "example.net") + Req("/x/../a.txt", "a.example.net") + Req("/a.txt", "example.org"));
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
        Assert.Equal(7, connection.RequestCount);
        Assert.Equal(
            ["example.org /a.txt", "example.org /a.txt", "example.net /b.txt", "example.net /b.txt", "example.net /b.txt", "a.example.net /a.txt", "example.org /a.txt"],
            seen);
    }

    [Fact]
    public void Http10WithoutKeepAliveCloses()
    {
        var (output, step, _) = Wire.Run("GET / HTTP/1.0\r\n\r\n");
        Assert.Contains("Content-Length: 11\r\nConnection: close\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void Http10KeepAliveHeadGetsLengthAndKeepAlive()
    {
        var (output, step, connection) = Wire.Run("HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 11\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\nContent-Type: text/html\r\n\r\n", output);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
        Assert.Equal(TimeSpan.FromSeconds(5), connection.KeepAliveTimeout);
    }

    [Fact]
    public void MaxKeepAliveRequestsIsReachedAfterMaxPlusOneRequests()
    {
        var options = new HttpServerOptions { MaxKeepAliveRequests = 2 };
        var (_, step, connection) = Wire.Run(new TestApplication(), options, Get + Get + Get + Get);
        Assert.Equal(ConnectionStep.Close, step);
        Assert.Equal(3, connection.RequestCount);
    }

    [Fact]
    public void DrainingConnectionClosesAfterTheCurrentRequest()
    {
        var connection = InMemoryConnection.Create();
        connection.DrainRequested = () => true;
        connection.Enqueue(Get + Get);
        ConnectionStep step = new HttpConnectionHandler(new TestApplication(), new HttpServerOptions()).Serve(connection);
        Assert.Equal(ConnectionStep.Close, step);
        Assert.Equal(1, connection.RequestCount);
    }

    [Fact]
    public void DrainThatBeginsAfterAKeepAliveHeadKeepsTheConnectionForTheNextRequestAndClosesAfterIt()
    {
        // The child starts draining once the first response is on its way: that response promised
        // keep-alive, so the client may already be sending its next request; closing now would
        // fail it. The connection waits for it, answers it with Connection: close, then closes.
        var connection = InMemoryConnection.Create();
        connection.DrainRequested = () => connection.SendCalls > 0;
        var handler = new HttpConnectionHandler(new TestApplication(), new HttpServerOptions());
        const string ka = "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
        connection.Enqueue(ka);
        Assert.Equal(ConnectionStep.WaitForNextRequest, handler.Serve(connection));
        Assert.Contains("Connection: Keep-Alive\r\n", connection.Output, StringComparison.Ordinal);
        connection.Enqueue(ka);
        Assert.Equal(ConnectionStep.Close, handler.Serve(connection));
        Assert.Equal(2, connection.RequestCount);
        Assert.EndsWith("Connection: close\r\nContent-Type: text/html\r\n\r\nhello world", connection.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectContinueIsSentWhenTheBodyIsFirstRead()
    {
        var app = new TestApplication { Handler = Echo };
        var (output, _, _) = Wire.Run(app, null, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", "hello");
        Assert.StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", output, StringComparison.Ordinal);
        Assert.EndsWith("/ - hello", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadExpectContinueBodyClosesTheConnection()
    {
        var (output, step, _) = Wire.Run("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n");
        Assert.DoesNotContain("100 Continue", output, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void UnreadBodyIsDiscardedBeforeThePipelinedRequest()
    {
        var (output, _, connection) = Wire.Run("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + Get);
        Assert.Equal(2, connection.RequestCount);
        Assert.Equal(2, output.Split("200 OK").Length - 1);
    }

    [Theory]
    [InlineData("5\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    [InlineData("zz\r\n")]
    public void BadChunkIs400WithoutLengthAndCloses(string body)
    {
        var app = new TestApplication { Handler = Echo };
        var (output, step, _) = Wire.Run(app, null, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        Assert.Equal("HTTP/1.1 400 Bad Request\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Wire.Page("400 Bad Request", Wire.BadRequestParagraph, "x"), output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    /// <summary>
    /// A chunk-size line of exactly the longest length waited for (8192 bytes before CRLF) is
    /// read the same whether its LF came with the CR or in the next segment.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LongestChunkLineIsReadWhereverTheSegmentEnds(bool splitBeforeLf)
    {
        var app = new TestApplication { Handler = Echo };
        string head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        string sizeLine = "1;" + new string('e', 8190) + "\r";
        string[] pieces = splitBeforeLf
            ? [head + sizeLine, "\nx\r\n0\r\n\r\n"]
            : [head + sizeLine + "\nx\r\n0\r\n\r\n"];
        var (output, _, _) = Wire.Run(app, null, pieces);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", output, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n/ - x", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BodyOverLimitRequestBodyIs413()
    {
        var app = new TestApplication { Handler = c => { c.LimitRequestBody = 10; Echo(c); } };
        var (output, step, _) = Wire.Run(app, null, "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world");
        Assert.Equal(
            "HTTP/1.1 413 Request Entity Too Large\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("413 Request Entity Too Large", "The requested resource does not allow request data with POST requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n", "x"),
            output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void ChunkSizeNear2To63AfterSomeBodyIsStill413()
    {
        // _bodyRead + 0x7fffffffffffffff wrapped negative and passed the limit check: the
        // client could then stream an unbounded body past LimitRequestBody.
        var app = new TestApplication { Handler = c => { c.LimitRequestBody = 10; Echo(c); } };
        var (output, step, _) = Wire.Run(app, null, "POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n7fffffffffffffff\r\nyyyyyyyyyyyyyyyyyyyy");
        Assert.StartsWith("HTTP/1.1 413 Request Entity Too Large\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void SlowHeadersGet408AndClose()
    {
        var connection = InMemoryConnection.Create();
        connection.TimeoutWhenEmpty = true;
        connection.Enqueue("GET / HTTP/1.1\r\nHost: x\r\n");
        ConnectionStep step = new HttpConnectionHandler(new TestApplication(), new HttpServerOptions()).Serve(connection);
        Assert.Equal(
            "HTTP/1.1 408 Request Timeout\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 336\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
            + Wire.Page("408 Request Timeout", "<p>Server timeout waiting for the HTTP request from the client.</p>\n"),
            Wire.MaskDate(connection.Output));
        Assert.Equal(ConnectionStep.Close, step);
        Assert.True(connection.ReceiveTimeouts[0] <= TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TimeoutBeforeARequestLineClosesSilently()
    {
        var connection = InMemoryConnection.Create();
        connection.TimeoutWhenEmpty = true;
        connection.Enqueue("GE");
        ConnectionStep step = new HttpConnectionHandler(new TestApplication(), new HttpServerOptions()).Serve(connection);
        Assert.Equal(string.Empty, connection.Output);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void LargeBodyWithoutLengthIsChunked()
    {
        byte[] big = new byte[40000];
        Array.Fill(big, (byte)'z');
        var app = new TestApplication { Handler = c => { c.Response.Write(big); c.Response.Write("end"u8); } };
        var (output, step, _) = Wire.Run(app, null, Get);
        Assert.Contains("Transfer-Encoding: chunked\r\n", output, StringComparison.Ordinal);
        Assert.EndsWith("end\r\n0\r\n\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
        Assert.Equal(40003, Dechunk(output[(output.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]).Length);
    }

    [Fact]
    public void SmallResponseLeavesInOneSend()
    {
        var (_, _, connection) = Wire.Run(Get);
        Assert.Equal(1, connection.SendCalls);
    }

    [Fact]
    public void LogSeesStatusAndApacheByteCounts()
    {
        var app = new TestApplication();
        Wire.Run(app, null, Get);
        Assert.Equal("\"GET / HTTP/1.1\" 200 144 11", Assert.Single(app.Log));
    }

    [Fact]
    public void ApplicationExceptionBecomes500()
    {
        var app = new TestApplication { Handler = _ => throw new InvalidOperationException("boom") };
        var (output, step, _) = Wire.Run(app, null, Get);
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", output, StringComparison.Ordinal);
        Assert.Equal(ConnectionStep.Close, step);
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

        c.Response.Write(Encoding.Latin1.GetBytes(c.Request.Path + " " + (c.Request.QueryString ?? "-") + " " + body));
    }

    private static string Dechunk(string chunked)
    {
        var sb = new StringBuilder();
        while (true)
        {
            int lf = chunked.IndexOf("\r\n", StringComparison.Ordinal);
            int size = Convert.ToInt32(chunked[..lf], 16);
            if (size == 0)
            {
                return sb.ToString();
            }

            sb.Append(chunked, lf + 2, size);
            chunked = chunked[(lf + 2 + size + 2)..];
        }
    }
}
