using System.Collections.Generic;
using System.Text;
using Pluma.Modules.Script;

namespace Pluma.Modules.Tests.Script;

public class ScriptHeadersTests
{
    private static (ScriptHeaders Headers, int Used) Read(string text, int splitEvery = int.MaxValue)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        var h = new ScriptHeaders();
        int used = 0;
        while (used < bytes.Length && !h.IsComplete && h.MalformedLine is null)
        {
            int n = Math.Min(splitEvery, bytes.Length - used);
            used += h.Feed(bytes.AsSpan(used, n));
        }

        return (h, used);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public void ABlockEndsAtTheEmptyLineWhereverTheBytesAreSplit(int split)
    {
        var (h, used) = Read("Content-Type: Text/HTML; Charset=UTF-8 \r\nX-A: 1\nX-A: 2\r\nSet-Cookie: a=1\nSet-Cookie: b=2\n\r\nbody", split);
        Assert.True(h.IsComplete);
        Assert.Equal("text/html; Charset=UTF-8", h.ContentType);
        Assert.Equal(new KeyValuePair<string, string>("X-A", "1, 2"), Assert.Single(h.Fields));
        Assert.Equal(2, h.Cookies.Count);
        Assert.Equal("body".Length, Encoding.Latin1.GetByteCount("Content-Type: Text/HTML; Charset=UTF-8 \r\nX-A: 1\nX-A: 2\r\nSet-Cookie: a=1\nSet-Cookie: b=2\n\r\nbody") - used);
    }

    [Fact]
    public void StatusIsReadAsAtoiAndKeepsItsText()
    {
        var (h, _) = Read("Status: 404 Gone Fishing\n\n");
        Assert.Equal(404, h.Status);
        Assert.Equal("404 Gone Fishing", h.StatusLine);
        Assert.True(h.HasValidStatus);
        Assert.False(Read("Status: abc\n\n").Headers.HasValidStatus);
        Assert.False(Read("Status: 600\n\n").Headers.HasValidStatus);
    }

    [Fact]
    public void ALineWithoutAColonIsMalformed()
    {
        var (h, _) = Read("Content-Type: text/plain\nthis is not a header\n\n");
        Assert.Equal("this is not a header", h.MalformedLine);
        Assert.False(h.IsComplete);
    }

    [Theory]
    [InlineData("Location: /other\n\n", ScriptRedirect.Local)]
    [InlineData("Location: http://example.org/\n\n", ScriptRedirect.External)]
    [InlineData("Status: 200\nLocation: /x\n\n", ScriptRedirect.Local)]
    [InlineData("Status: 301\nLocation: /x\n\n", ScriptRedirect.None)]
    [InlineData("Content-Type: text/plain\n\n", ScriptRedirect.None)]
    public void LocationWithoutAStatusIsARedirect(string block, ScriptRedirect expected)
    {
        Assert.Equal(expected, Read(block).Headers.Redirect);
    }

    [Fact]
    public void OutputThatEndsEarlySaysWhetherAnyHeaderCame()
    {
        Assert.Equal("End of script output before headers", Read("").Headers.EndOfOutputMessage);
        Assert.Equal("Premature end of script headers", Read("X-A: 1\n").Headers.EndOfOutputMessage);
    }

    [Fact]
    public void ALongLineIsCutAtApachesBufferSize()
    {
        // getsfunc fills MAX_STRING_LEN - 1 bytes; the rest is read as a line of its own, which
        // has no colon: the block is malformed, as in Apache.
        var (h, _) = Read("X-Long: " + new string('a', 9000) + "\n\n");
        Assert.NotNull(h.MalformedLine);
        Assert.Equal(9000 + 8 - ScriptHeaders.MaxLine, h.MalformedLine!.Length);
    }

    [Fact]
    public void LengthAndValidatorsReplaceEarlierValues()
    {
        var (h, _) = Read("Content-Length: 5\nContent-Length: 7\nETag: \"a\"\n\n");
        Assert.Contains(new KeyValuePair<string, string>("Content-Length", "7"), h.Fields);
        Assert.Equal(2, h.Fields.Count);
    }
}
