using System.Text;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Parsing;

/// <summary>The head's checks and framing choice as pure functions of its bytes (no connection).</summary>
public class RequestHeadRulesTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", nameof(RequestRejection.None))]
    [InlineData("GET / HTTP/1.1\r\n\r\n", nameof(RequestRejection.MissingHost))]
    [InlineData("GET / HTTP/1.0\r\n\r\n", nameof(RequestRejection.None))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", nameof(RequestRejection.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", nameof(RequestRejection.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", nameof(RequestRejection.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.TransferEncodingWithContentLength))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nExpect: nothing\r\n\r\n", nameof(RequestRejection.ExpectationFailed))]
    [InlineData("GET /../x HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.PathAboveRoot))]
    [InlineData("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.BadEscape))]
    [InlineData("TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.TraceDisabled))]
    public void ChecksTheHeadAsApacheDoes(string text, string expected)
    {
        RequestRejection rejection = Validate(text, out _);
        Assert.Equal(expected, rejection.ToString());
    }

    [Fact]
    public void TheHostAndFramingAreReadFromTheBytes()
    {
        Assert.Equal(RequestRejection.None, Validate("POST /x?q=1 HTTP/1.1\r\nHost: Www.Example.:8080\r\nContent-Length: 12\r\nExpect: 100-continue\r\nConnection: keep-alive\r\n\r\n", out RequestHead head));
        Assert.True(head.HostValid);
        Assert.Equal("Www.Example".Length, head.HostLength); // trailing dot dropped
        Assert.Equal(8080, head.HostPort);
        Assert.False(head.Chunked);
        Assert.Equal(12, head.ContentLength);
        Assert.True(head.Expecting100);
        Assert.True(head.ClientKeepAlive);
        Assert.False(head.ClientConnectionClose);
    }

    [Theory]
    [InlineData("/a/b?c=d", "/a/b", "c=d", "")]
    [InlineData("/a/b", "/a/b", null, "")]
    [InlineData("*", "*", null, "")]
    [InlineData("http://h.example:81/p?q", "/p", "q", "h.example:81")]
    [InlineData("http://h.example", "", null, "h.example")]
    public void SplitsTheTarget(string target, string path, string? query, string authority)
    {
        byte[] bytes = Encoding.ASCII.GetBytes("  " + target);
        RequestTarget parts = RequestTarget.Split(bytes.AsSpan(2), 2);
        Assert.Equal(path, Encoding.ASCII.GetString(bytes, parts.PathStart, parts.PathLength));
        Assert.Equal(query, parts.QueryStart < 0 ? null : Encoding.ASCII.GetString(bytes, parts.QueryStart, parts.QueryLength));
        Assert.Equal(authority, parts.AuthorityStart < 0 ? string.Empty : Encoding.ASCII.GetString(bytes, parts.AuthorityStart, parts.AuthorityLength));
    }

    [Theory]
    [InlineData("example.com", true, 11, 0)]
    [InlineData("example.com.:80", true, 11, 80)]
    [InlineData("[::1]:8080", true, 5, 8080)]
    [InlineData("[::1", false, 0, 0)]
    [InlineData("a_b-c.d", true, 7, 0)]
    [InlineData("...", false, 0, 0)]
    [InlineData("a:123456", false, 0, 0)]
    [InlineData("a:1x", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    public void ParsesHostAsFixHostname(string host, bool ok, int nameLength, int port)
    {
        bool parsed = HostField.TryParse(Encoding.ASCII.GetBytes(host), strict: true, out int length, out int p);
        Assert.Equal(ok, parsed);
        if (ok)
        {
            Assert.Equal(nameLength, length);
            Assert.Equal(port, p);
        }
    }

    // Each answer observed on Debian's apache2 2.4.71 (Host: VALUE, HttpProtocolOptions Strict, then Unsafe).
    [Theory]
    [InlineData("1.2.3.4", true, true)]
    [InlineData("1.2.3.4.", true, true)]
    [InlineData("999.1.1.1", true, true)]
    [InlineData("123", false, true)]
    [InlineData("12345", false, true)]
    [InlineData("1.2.3", false, true)]
    [InlineData("1.2.3.4.5", false, true)]
    [InlineData("1.2.3.04", false, true)]
    [InlineData("01.2.3.4", false, true)]
    [InlineData("1.2.3.4a", false, true)]
    [InlineData("a.1b", false, true)]
    [InlineData("a.-b", false, true)]
    [InlineData("a._b", false, true)]
    [InlineData("a.b1", true, true)]
    [InlineData("1_2", true, true)]
    [InlineData(".a", true, true)]
    [InlineData("a,b", false, true)]
    [InlineData("a%62", false, true)]
    [InlineData("a:", false, true)]
    [InlineData("a..b", false, false)]
    [InlineData("a:0", false, false)]
    [InlineData("1.2.3.4:0", false, false)]
    [InlineData("a:99999", false, false)]
    [InlineData("[::1]:", false, false)]
    [InlineData("[::ffff:1.2.3.4]", true, true)]
    [InlineData("[:::1]", false, false)]
    [InlineData("[1::2::3]", false, false)]
    [InlineData("[12345::]", false, false)]
    [InlineData("[1.2.3.4]", false, false)]
    [InlineData("[fe80::1%25eth0]", false, false)]
    [InlineData("[]", false, false)]
    public void RefusesTheHostsApacheRefuses(string host, bool strictOk, bool unsafeOk)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(host);
        Assert.Equal(strictOk, HostField.TryParse(bytes, strict: true, out _, out _));
        Assert.Equal(unsafeOk, HostField.TryParse(bytes, strict: false, out _, out _));
    }

    private static RequestRejection Validate(string text, out RequestHead head)
    {
        byte[] buffer = Encoding.ASCII.GetBytes(text);
        var options = new HttpServerOptions { TraceEnable = false };
        int pos = 0;
        Assert.Equal(ParseResult.Done, HttpParser.TakeStartLine(buffer, ref pos, options, out StartLine line, out _));
        var headers = new HttpRequestHeaders();
        headers.Reset(buffer);
        var handler = new Collect(headers);
        int fields = 0;
        Assert.Equal(ParseResult.Done, HttpParser.TakeHeaders(buffer, ref pos, ref fields, options, ref handler, out _));
        RequestTarget target = RequestTarget.Split(buffer.AsSpan(line.TargetStart, line.TargetLength), line.TargetStart);
        return RequestHeadRules.Validate(buffer, headers, in line, in target, options, out head);
    }

    private readonly struct Collect(HttpRequestHeaders headers) : IHttpHeadersHandler
    {
        public void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength) =>
            headers.Add(nameStart, nameLength, valueStart, valueLength);

        public int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength) => headers.Fold(valueStart, valueLength);
    }
}
