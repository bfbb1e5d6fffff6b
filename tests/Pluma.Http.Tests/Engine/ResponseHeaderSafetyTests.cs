using System.Text;
using Pluma.Connections;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Engine;

/// <summary>
/// The response head writer never sends a field that could split the response (CR, LF, NUL or
/// another control character, a name that is not a token): Apache's check_headers answers 500
/// instead (AH02429/AH02430) and so does Pluma.
/// </summary>
public class ResponseHeaderSafetyTests
{
    private const string Get = "GET /r HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n";

    [Theory]
    [InlineData("X-Test", "a\r\nSet-Cookie: evil=1")]
    [InlineData("X-Test", "a\rb")]
    [InlineData("X-Test", "a\nb")]
    [InlineData("X-Test", "a\0b")]
    [InlineData("X-Test", "a\u001bb")]
    [InlineData("X-Te st", "v")]
    [InlineData("X-Test\r\nSet-Cookie", "evil=1")]
    [InlineData("", "v")]
    public void AFieldThatCouldSplitTheHeadGivesA500AndNeverItsBytes(string name, string value)
    {
        var app = new TestApplication
        {
            Handler = c =>
            {
                c.Response.StatusCode = 302;
                c.Response.Headers.Set("Location", "http://example.com/");
                c.Response.Headers.Set(name, value);
                c.Response.ContentType = "text/html";
                c.Response.Write("moved"u8);
            },
        };
        var (output, step, _) = Wire.Run(app, null, Get);
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Set-Cookie", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Location", output, StringComparison.Ordinal);
        Assert.DoesNotContain("moved", output, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", output, StringComparison.Ordinal);

        // ap_die names the status the handler had set, as Apache's page does.
        Assert.Contains("<p>Additionally, a 302 Found\nerror was encountered while trying to use an ErrorDocument to handle the request.</p>\n", output, StringComparison.Ordinal);

        // The connection closes: the pipelined second request is not served.
        Assert.Single(app.Log);
        Assert.Equal(ConnectionStep.Close, step);
    }

    [Fact]
    public void ARefusedHeadAfterABigBodyStartedSendsNoneOfTheBody()
    {
        var app = new TestApplication
        {
            Handler = c =>
            {
                c.Response.Headers.Set("X-Test", "a\r\nb");
                c.Response.ContentType = "text/plain";
                byte[] big = new byte[100_000];
                big.AsSpan().Fill((byte)'z');
                c.Response.Write(big);
                c.Response.Write(big);
            },
        };
        var (output, _, _) = Wire.Run(app, null, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("zzz", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Additionally", output, StringComparison.Ordinal); // the handler's status was 200
    }

    [Fact]
    public void AContentTypeWithALineBreakIsRefusedAndAReasonPhraseWithOneIsReplaced()
    {
        var app = new TestApplication { Handler = c => { c.Response.ContentType = "text/html\r\nX: y"; c.Response.Write("a"u8); } };
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", Wire.Run(app, null, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").Output, StringComparison.Ordinal);

        app = new TestApplication { Handler = c => { c.Response.ReasonPhrase = "OK\r\nX: y"; TestApplication.Hello(c); } };
        string output = Wire.Run(app, null, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").Output;
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("X: y", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWriterRefusesEachUnsafeFieldAndWritesSafeOnesWhole()
    {
        var headers = new HttpResponseHeaders();
        headers.Set("Location", "http://example.com/x%0d%0a");
        headers.Set("X-Bad", "a\r\nb");
        headers.Set("X-Bytes", "a\nb"u8);
        headers.Set("Bad Name", "v");
        headers.Set("X-Tab", "a\tb\u00e9");
        Span<byte> buffer = stackalloc byte[256];

        Assert.Equal(FieldWrite.Written, headers.TryWrite(0, buffer, out int written));
        Assert.Equal("Location: http://example.com/x%0d%0a\r\n", Encoding.Latin1.GetString(buffer[..written]));
        Assert.Equal(FieldWrite.BadValue, headers.TryWrite(1, buffer, out written));
        Assert.Equal(0, written);
        Assert.Equal(FieldWrite.BadValue, headers.TryWrite(2, buffer, out written));
        Assert.Equal(FieldWrite.BadName, headers.TryWrite(3, buffer, out written));
        Assert.Equal(FieldWrite.Written, headers.TryWrite(4, buffer, out written));
        Assert.Equal("X-Tab: a\tb\u00e9\r\n", Encoding.Latin1.GetString(buffer[..written]));
        Assert.Equal(FieldWrite.NoRoom, headers.TryWrite(0, buffer[..10], out _));
    }
}
