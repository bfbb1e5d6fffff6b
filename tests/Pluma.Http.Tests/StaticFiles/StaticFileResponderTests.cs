using System.Text;
using Pluma.Connections;
using Pluma.Http.Protocol;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.StaticFiles;

/// <summary>
/// Whole responses for a 12-byte text file, byte for byte as Debian's apache2 2.4.71 sent them
/// for the same file (mtime 2026-01-02 03:04:05.123456, default FileETag MTime Size).
/// </summary>
public sealed class StaticFileResponderTests : IDisposable
{
    private const string Head = "Date: X\r\nServer: Apache/2.4.71 (Debian)\r\nLast-Modified: Fri, 02 Jan 2026 03:04:05 GMT\r\nETag: \"c-6475ef64ed580\"\r\nAccept-Ranges: bytes\r\n";
    private const string Page416 = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n<title>416 Requested Range Not Satisfiable</title>\n</head><body>\n<h1>Requested Range Not Satisfiable</h1>\n<p>None of the range-specifier values in the Range\nrequest-header field overlap the current extent\nof the selected resource.</p>\n<hr>\n<address>Apache/2.4.71 (Debian) Server at localhost Port 80</address>\n</body></html>\n";

    private readonly TempFiles _files = new();
    private readonly string _small;

    public StaticFileResponderTests()
    {
        _small = _files.Create("small.txt", "hello world\n"u8.ToArray());
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public void PlainGetSendsValidatorsInApacheOrderAndTheBodyInOneWrite()
    {
        var (output, connection) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK\r\n" + Head + "Content-Length: 12\r\nContent-Type: text/plain\r\n\r\nhello world\n", output);
        Assert.Equal(1, connection.SendCalls);
    }

    [Fact]
    public void SingleRangeGets206WithContentRangeAfterContentLength()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3\r\n\r\n");
        Assert.Equal("HTTP/1.1 206 Partial Content\r\n" + Head + "Content-Length: 4\r\nContent-Range: bytes 0-3/12\r\nContent-Type: text/plain\r\n\r\nhell", output);
    }

    [Fact]
    public void SeveralRangesGetMultipartWithApacheBoundaryAndPartHeaders()
    {
        MultipartByteRanges.Reset("db23e994f5515d4f");
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3,5-6\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 206 Partial Content\r\n" + Head + "Content-Length: 188\r\nContent-Type: multipart/byteranges; boundary=db23e994f5515d4f\r\n\r\n"
            + "\r\n--db23e994f5515d4f\r\nContent-type: text/plain\r\nContent-range: bytes 0-3/12\r\n\r\nhell"
            + "\r\n--db23e994f5515d4f\r\nContent-type: text/plain\r\nContent-range: bytes 5-6/12\r\n\r\n w"
            + "\r\n--db23e994f5515d4f--\r\n",
            output);
    }

    [Fact]
    public void HeadWithSeveralRangesAnnouncesTheMultipartLengthWithoutABody()
    {
        MultipartByteRanges.Reset("db23e994f5515d4f");
        var (output, _) = Serve(new FileApplication(_small), "HEAD /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3,6-7\r\n\r\n");
        Assert.Equal("HTTP/1.1 206 Partial Content\r\n" + Head + "Content-Length: 188\r\nContent-Type: multipart/byteranges; boundary=db23e994f5515d4f\r\n\r\n", output);
    }

    [Fact]
    public void MoreThan32RangesAreChunkedAsApacheLosesTheLength()
    {
        var ranges = new StringBuilder("bytes=0-0");
        for (int i = 2; i <= 66; i += 2)
        {
            ranges.Append(',').Append(i).Append('-').Append(i);
        }

        string hundred = _files.Create("hundred.txt", new byte[100]);
        var (output, _) = Serve(new FileApplication(hundred), "GET /hundred.txt HTTP/1.1\r\nHost: localhost\r\nRange: " + ranges + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n" + Head.Replace("c-6475", "64-6475", StringComparison.Ordinal) + "Transfer-Encoding: chunked\r\nContent-Type: multipart/byteranges; boundary=", output, StringComparison.Ordinal);
        Assert.EndsWith("--\r\n\r\n0\r\n\r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsatisfiableRangeGetsApache416PageChunkedWithoutTheFileHeaders()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=100-\r\n\r\n");
        Assert.Equal(
            "HTTP/1.1 416 Requested Range Not Satisfiable\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Page416.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n" + Page416 + "\r\n0\r\n\r\n",
            output);
    }

    [Fact]
    public void UnsatisfiableRangeOverHttp10ClosesInsteadOfChunking()
    {
        var (output, connection) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.0\r\nRange: bytes=100-\r\n\r\n");
        Assert.Equal("HTTP/1.1 416 Requested Range Not Satisfiable\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Page416, output);
        Assert.Equal(1, connection.RequestCount);
    }

    [Fact]
    public void UnsatisfiableRangeToAClientThatClosesIsCloseDelimited()
    {
        // Apache 2.4.71: the error bucket's page finds the connection marked for closing, so
        // ap_set_keepalive never picks chunking; the page ends with the connection.
        var (output, connection) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=100-\r\nConnection: close\r\n\r\n");
        Assert.Equal("HTTP/1.1 416 Requested Range Not Satisfiable\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + Page416, output);
        Assert.Equal(1, connection.RequestCount);
    }

    [Fact]
    public void HeadWithUnsatisfiableRangeHasNeitherLengthNorBody()
    {
        var (output, _) = Serve(new FileApplication(_small), "HEAD /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=100-\r\n\r\n");
        Assert.Equal("HTTP/1.1 416 Requested Range Not Satisfiable\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n", output);
    }

    [Theory]
    [InlineData("If-None-Match: \"c-6475ef64ed580\"")]
    [InlineData("If-None-Match: W/\"c-6475ef64ed580\"")]
    [InlineData("If-None-Match: *")]
    [InlineData("If-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT")]
    [InlineData("If-Modified-Since: Friday, 02-Jan-26 03:04:05 GMT")]
    public void MatchingValidatorGets304WithValidatorsButNoLengthOrType(string field)
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\n" + field + "\r\n\r\n");
        Assert.Equal("HTTP/1.1 304 Not Modified\r\n" + Head + "\r\n", output);
    }

    [Fact]
    public void NotModifiedKeepsAnHttp10KeepAliveConnection()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.0\r\nConnection: keep-alive\r\nIf-None-Match: \"c-6475ef64ed580\"\r\n\r\n");
        Assert.Equal("HTTP/1.1 304 Not Modified\r\n" + Head + "Keep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n\r\n", output);
    }

    [Fact]
    public void StrongIfNoneMatchBeatsARange()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\nIf-None-Match: \"c-6475ef64ed580\"\r\n\r\n");
        Assert.Equal("HTTP/1.1 304 Not Modified\r\n" + Head + "\r\n", output);
    }

    [Fact]
    public void ModifiedSinceIfUnmodifiedSinceGets412()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: x\r\nIf-Unmodified-Since: Thu, 01 Jan 2026 03:04:05 GMT\r\n\r\n");
        Assert.Equal("HTTP/1.1 412 Precondition Failed\r\n" + Head + "Content-Length: 0\r\nContent-Type: text/plain\r\n\r\n", output);
    }

    [Fact]
    public void FailedIfMatchGets412WithEmptyBodyNotAPage()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nIf-Match: \"nope\"\r\n\r\n");
        Assert.Equal("HTTP/1.1 412 Precondition Failed\r\n" + Head + "Content-Length: 0\r\nContent-Type: text/plain\r\n\r\n", output);
    }

    [Fact]
    public void FailedIfMatchOnHeadKeepsTheFileLength()
    {
        var (output, _) = Serve(new FileApplication(_small), "HEAD /small.txt HTTP/1.1\r\nHost: localhost\r\nIf-Match: \"nope\"\r\n\r\n");
        Assert.Equal("HTTP/1.1 412 Precondition Failed\r\n" + Head + "Content-Length: 12\r\nContent-Type: text/plain\r\n\r\n", output);
    }

    [Theory]
    [InlineData("If-Range: \"nope\"", "200")]
    [InlineData("If-Range: \"c-6475ef64ed580\"", "206")]
    [InlineData("If-Range: W/\"c-6475ef64ed580\"", "200")]
    [InlineData("If-Range: Fri, 02 Jan 2026 03:04:05 GMT", "206")]
    [InlineData("If-Range: Fri, 02 Jan 2026 03:04:06 GMT", "200")]
    public void IfRangeDecidesBetweenRangeAndWholeFile(string field, string status)
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3\r\n" + field + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 " + status, output, StringComparison.Ordinal);
    }

    [Fact]
    public void IfNoneMatchWithMatchingIfRangeServesTheRangeNot304()
    {
        var (output, _) = Serve(new FileApplication(_small), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3\r\nIf-None-Match: \"c-6475ef64ed580\"\r\nIf-Range: \"c-6475ef64ed580\"\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 206", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileIgnoresRange()
    {
        string empty = _files.Create("empty.txt", []);
        var (output, _) = Serve(new FileApplication(empty), "GET /empty.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK\r\nDate: X\r\nServer: Apache/2.4.71 (Debian)\r\nLast-Modified: Fri, 02 Jan 2026 03:04:05 GMT\r\nETag: \"0-6475ef64ed580\"\r\nAccept-Ranges: bytes\r\nContent-Length: 0\r\nContent-Type: text/plain\r\n\r\n", output);
    }

    [Fact]
    public void FileChangedWithinTheLastSecondGetsAWeakETag()
    {
        string fresh = _files.Create("fresh.txt", "fresh2\n"u8.ToArray(), DateTime.UtcNow);
        var (output, _) = Serve(new FileApplication(fresh), "GET /fresh.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Contains("ETag: W/\"7-", output, StringComparison.Ordinal);
    }

    [Fact]
    public void FileETagAllPutsTheInodeFirstAndNoneSendsNoETag()
    {
        string a = _files.Create("a.txt", "abc\n"u8.ToArray(), new DateTime(2026, 1, 2, 3, 4, 5, 500, DateTimeKind.Utc));
        var all = new StaticFileOptions { FileETag = FileETagComponents.All };
        Assert.Contains("ETag: \"b1e4f1-4-6475ef6549460\"\r\n", Serve(new FileApplication(a, inode: 0xb1e4f1, options: all), "GET / HTTP/1.0\r\n\r\n").Output, StringComparison.Ordinal);
        var none = new StaticFileOptions { FileETag = FileETagComponents.None };
        Assert.DoesNotContain("ETag", Serve(new FileApplication(a, options: none), "GET / HTTP/1.0\r\n\r\n").Output, StringComparison.Ordinal);
        var digest = new StaticFileOptions { FileETag = FileETagComponents.Digest };
        Assert.Contains("ETag: \"A8/XQ2YfB5dfovEiDFGUy6/0hFE=\"\r\n", Serve(new FileApplication(a, options: digest), "GET / HTTP/1.0\r\n\r\n").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxRangesNoneSaysAcceptRangesNoneAndSendsTheWholeFile()
    {
        var options = new StaticFileOptions { Ranges = new RangeLimits(0, 20, 20) };
        var (output, _) = Serve(new FileApplication(_small, options: options), "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", output, StringComparison.Ordinal);
        Assert.Contains("Accept-Ranges: none\r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeFileGoesBySendFileAfterTheHeadWithEnableSendfileOn()
    {
        byte[] content = new byte[1 << 20];
        for (int i = 0; i < content.Length; i++)
        {
            content[i] = (byte)(i % 251);
        }

        string big = _files.Create("big.bin", content);
        var (output, connection) = Serve(new FileApplication(big, "application/octet-stream", options: new StaticFileOptions { EnableSendfile = true }), "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Contains("ETag: \"100000-6475ef64ed580\"\r\nAccept-Ranges: bytes\r\nContent-Length: 1048576\r\nContent-Type: application/octet-stream\r\n\r\n", output, StringComparison.Ordinal);
        Assert.Equal(content, Encoding.Latin1.GetBytes(output[(output.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]));
        Assert.Equal(2, connection.SendCalls);
        Assert.Equal(1, connection.SendFileCalls);
    }

    [Fact]
    public void KeepAliveSurvivesEveryStaticAnswer()
    {
        const string ka = "Host: localhost\r\nConnection: keep-alive\r\n";
        var (output, connection) = Serve(
            new FileApplication(_small),
            "GET / HTTP/1.1\r\n" + ka + "\r\nGET / HTTP/1.1\r\n" + ka + "Range: bytes=1-2\r\n\r\nGET / HTTP/1.1\r\n" + ka + "If-None-Match: \"c-6475ef64ed580\"\r\n\r\nGET / HTTP/1.1\r\n" + ka + "Range: bytes=50-\r\n\r\nGET / HTTP/1.1\r\n" + ka + "\r\n");
        Assert.Equal(5, connection.RequestCount);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(output, "Connection: Keep-Alive"));
    }

    private static (string Output, InMemoryConnection Connection) Serve(IHttpApplication app, string request)
    {
        var connection = InMemoryConnection.Create();
        connection.Enqueue(request);
        ConnectionStep step = new HttpConnectionHandler(app, new HttpServerOptions()).Serve(connection);
        _ = step;
        return (Wire.MaskDate(connection.Output), connection);
    }
}
