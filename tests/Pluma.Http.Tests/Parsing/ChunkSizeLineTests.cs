using System.Text;
using Pluma.Http.Internal;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Parsing;

public class ChunkSizeLineTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("a", 10L)]
    [InlineData("Ff", 255L)]
    [InlineData("0000000000000000000000001", 1L)]
    [InlineData("7fffffffffffffff", long.MaxValue)]
    [InlineData("5;a", 5L)]
    [InlineData("5;a=b", 5L)]
    [InlineData("5 ;a=b", 5L)]
    [InlineData("5\t; a =\tb ; c", 5L)]
    [InlineData("5;a=\"\"", 5L)]
    [InlineData("5;a=\"x y;z=\\\"q\\\\\"", 5L)]
    [InlineData("5;a=\"\u00e9\"", 5L)]
    [InlineData("5;a=b;c=d;e", 5L)]
    public void ReadsTheGrammar(string line, long size)
    {
        Assert.Equal(ChunkSizeLineResult.Valid, ChunkSizeLine.Parse(Encoding.Latin1.GetBytes(line), out long parsed, out _));
        Assert.Equal(size, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("5\t")]
    [InlineData("0x5")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("5g")]
    [InlineData("5;")]
    [InlineData("5; ")]
    [InlineData("5;;a")]
    [InlineData("5;a;")]
    [InlineData("5;a ")]
    [InlineData("5;=b")]
    [InlineData("5;a=")]
    [InlineData("5;a= ")]
    [InlineData("5;a=b c")]
    [InlineData("5;a=b,c=d")]
    [InlineData("5;a=\"b")]
    [InlineData("5;a=\"b\\")]
    [InlineData("5;a=\"b\u0001\"")]
    [InlineData("5;a=\"b\"c")]
    [InlineData("5;a@=b")]
    [InlineData("5\r")]
    [InlineData("5;a=b\r")]
    public void RefusesWhatTheGrammarDoesNotAllow(string line)
    {
        Assert.Equal(ChunkSizeLineResult.Malformed, ChunkSizeLine.Parse(Encoding.Latin1.GetBytes(line), out _, out _));
    }

    [Theory]
    [InlineData("5", 0)]
    [InlineData("0005;a=b", 4)]
    [InlineData("5 ; a", 4)]
    public void CountsTheBytesAfterTheSize(string line, int extension)
    {
        Assert.Equal(ChunkSizeLineResult.Valid, ChunkSizeLine.Parse(Encoding.Latin1.GetBytes(line), out _, out int counted));
        Assert.Equal(extension, counted);
    }

    [Theory]
    [InlineData("8000000000000000")]
    [InlineData("10000000000000005")]
    [InlineData("ffffffffffffffffffffffff")]
    public void SizesPastSixtyThreeBitsAreTooLarge(string line)
    {
        Assert.Equal(ChunkSizeLineResult.TooLarge, ChunkSizeLine.Parse(Encoding.Latin1.GetBytes(line), out _, out _));
    }
}
