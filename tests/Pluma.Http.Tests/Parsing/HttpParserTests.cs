using System.Text;
using Pluma.Http.Internal;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Parsing;

public class HttpParserTests
{
    private struct NullHandler : IHttpHeadersHandler
    {
        public int Fields;

        public void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength) => Fields++;

        public int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength) => valueLength;
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\n")]
    [InlineData("GET http://example.com:8080/a?b HTTP/1.0\r\n")]
    public void StartLinePrefixesNeedMoreAndConsumeNothing(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        var options = new HttpServerOptions();
        for (int length = 0; length < bytes.Length; length++)
        {
            int position = 0;
            ParseResult result = HttpParser.TakeStartLine(bytes.AsSpan(0, length), ref position, options, out _, out _);
            Assert.Equal(ParseResult.NeedMore, result);
            Assert.Equal(0, position);
        }

        int end = 0;
        Assert.Equal(ParseResult.Done, HttpParser.TakeStartLine(bytes, ref end, options, out StartLine parsed, out _));
        Assert.Equal(bytes.Length, end);
        Assert.True(parsed.Version >= 1000);
    }

    [Fact]
    public void HeaderPrefixesNeverCompleteAndNeverGoBackwards()
    {
        byte[] bytes = "Host: x\r\nA: b\r\n\r\n"u8.ToArray();
        var options = new HttpServerOptions();
        for (int length = 0; length < bytes.Length; length++)
        {
            int position = 0;
            int count = 0;
            var handler = new NullHandler();
            ParseResult result = HttpParser.TakeHeaders(bytes.AsSpan(0, length), ref position, ref count, options, ref handler, out _);
            Assert.Equal(ParseResult.NeedMore, result);
            Assert.True(position <= length);
            Assert.Equal(count, handler.Fields);
        }
    }

    [Fact]
    public void OverlongLineIsRefusedBeforeItsEndArrives()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("GET /" + new string('a', 9000));
        int position = 0;
        ParseResult result = HttpParser.TakeStartLine(bytes, ref position, new HttpServerOptions(), out _, out RequestRejection reason);
        Assert.Equal(ParseResult.Rejected, result);
        Assert.Equal(RequestRejection.RequestLineTooLong, reason);
    }

    /// <summary>Found by fuzz/ (request-parser): whether the bare LF came in the same read must not change the answer.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OverlongLineEndedByBareLfIsTooLongInOneReadOrMany(bool strict)
    {
        var options = new HttpServerOptions { StrictProtocol = strict };
        byte[] line = Encoding.ASCII.GetBytes("GET /" + new string('a', 9000) + " HTTP/1.1\n");
        int position = 0;
        Assert.Equal(ParseResult.Rejected, HttpParser.TakeStartLine(line, ref position, options, out _, out RequestRejection whole));
        position = 0;
        Assert.Equal(ParseResult.Rejected, HttpParser.TakeStartLine(line.AsSpan(0, 8200), ref position, options, out _, out RequestRejection partial));
        Assert.Equal(RequestRejection.RequestLineTooLong, partial);
        Assert.Equal(partial, whole);

        byte[] field = Encoding.ASCII.GetBytes("X-Long: " + new string('b', 9000) + "\n\r\n");
        int at = 0;
        int count = 0;
        var handler = new NullHandler();
        Assert.Equal(ParseResult.Rejected, HttpParser.TakeHeaders(field, ref at, ref count, options, ref handler, out RequestRejection fieldReason));
        Assert.Equal(RequestRejection.FieldTooLong, fieldReason);
    }
}
