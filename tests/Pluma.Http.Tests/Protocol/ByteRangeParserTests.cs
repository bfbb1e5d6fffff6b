using System.Linq;
using System.Text;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Protocol;

/// <summary>Each row is what Debian's apache2 2.4.71 answered for a 12-byte file ("" = 200 full, "416").</summary>
public class ByteRangeParserTests
{
    [Theory]
    [InlineData("bytes=0-3", "0-3")]
    [InlineData("Bytes=0-3", "0-3")]
    [InlineData("bytes=0-3, 5-6", "")]
    [InlineData("bytes= 1-2", "")]
    [InlineData("bytes=1 -2", "")]
    [InlineData("bytes=+1-2", "")]
    [InlineData("bytes=-0", "")]
    [InlineData("bytes=5-2", "")]
    [InlineData("bytes=0-", "0-11")]
    [InlineData("bytes=1-,0-", "0-11")]
    [InlineData("bytes=0-1,,3-4", "0-1 3-4")]
    [InlineData("bytes=0-1,1-2", "0-2")]
    [InlineData("bytes=3-4,0-1", "3-4 0-1")]
    [InlineData("bytes=3-4,0-2", "0-4")]
    [InlineData("bytes=-100", "0-11")]
    [InlineData("bytes=", "")]
    [InlineData("bytes=,", "")]
    [InlineData("bytes=12-,0-1", "0-1")]
    [InlineData("bytes=12-13,20-", "416")]
    [InlineData("bytes=0-1,3-4,2-2", "0-1 2-4")]
    [InlineData("bytes=0-0,0-0,0-0", "0-0")]
    [InlineData("bytes=abc", "")]
    [InlineData("bytes=1-2,x", "")]
    [InlineData("bytes=0x1-2", "")]
    [InlineData("bytes=5-,-3", "5-11")]
    [InlineData("items=0-1", "")]
    [InlineData("bytes=0-1;", "")]
    [InlineData("bytes = 0-1", "")]
    [InlineData("bytes=-", "")]
    [InlineData("bytes=0-99999999999999999999", "")]
    [InlineData("bytes=1-2,,", "1-2")]
    [InlineData("bytes=0-5,3-20", "0-11")]
    public void RangesAreParsedAndMergedAsApacheDoes(string header, string expected)
    {
        ByteRange[] ranges = [];
        RangeOutcome outcome = ByteRangeParser.Parse(Encoding.ASCII.GetBytes(header), 12, RangeLimits.Default, ref ranges, out int count);
        string actual = outcome switch
        {
            RangeOutcome.Full => "",
            RangeOutcome.NotSatisfiable => "416",
            _ => string.Join(' ', ranges.Take(count).Select(r => r.First + "-" + r.Last)),
        };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MoreRangesThanMaxRangesGiveTheWholeRepresentation()
    {
        string header = "bytes=" + string.Join(',', Enumerable.Range(0, 201).Select(i => (i * 2) + "-" + (i * 2)));
        ByteRange[] ranges = [];
        Assert.Equal(RangeOutcome.Full, ByteRangeParser.Parse(Encoding.ASCII.GetBytes(header), 1000, RangeLimits.Default, ref ranges, out _));
        Assert.Equal(RangeOutcome.Partial, ByteRangeParser.Parse(Encoding.ASCII.GetBytes(header), 1000, new RangeLimits(-1, 20, 20), ref ranges, out int count));
        Assert.Equal(201, count);
    }

    [Fact]
    public void TooManyOverlapsOrReversalsGiveTheWholeRepresentation()
    {
        string overlaps = "bytes=" + string.Join(',', Enumerable.Repeat("0-5", 22));
        string reversals = "bytes=" + string.Join(',', Enumerable.Range(0, 22).Select(i => (90 - i) + "-" + (90 - i)));
        ByteRange[] ranges = [];
        Assert.Equal(RangeOutcome.Full, ByteRangeParser.Parse(Encoding.ASCII.GetBytes(overlaps), 100, RangeLimits.Default, ref ranges, out _));
        Assert.Equal(RangeOutcome.Full, ByteRangeParser.Parse(Encoding.ASCII.GetBytes(reversals), 100, new RangeLimits(200, -1, 20), ref ranges, out _));
        Assert.Equal(RangeOutcome.Partial, ByteRangeParser.Parse(Encoding.ASCII.GetBytes(reversals), 100, new RangeLimits(200, -1, -1), ref ranges, out int count));
        Assert.Equal(1, count);
    }
}
