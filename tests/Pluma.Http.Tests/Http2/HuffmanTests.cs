using System.Text;
using Pluma.Http.Http2.Hpack;
using Xunit;

namespace Pluma.Http.Tests.Http2;

public sealed class HuffmanTests
{
    [Theory]
    [InlineData((int)'0', 0x0u, 5)]
    [InlineData((int)'a', 0x3u, 5)]
    [InlineData((int)' ', 0x14u, 6)]
    [InlineData((int)'&', 0xf8u, 8)]
    [InlineData((int)'\\', 0x7fff0u, 19)]
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData(1, 0x7fffd8u, 23)]
    [InlineData(10, 0x3ffffffcu, 30)]
    [InlineData(127, 0xffffffcu, 28)]
    [InlineData(128, 0xfffe6u, 20)]
    [InlineData(195, 0x7fff1u, 19)]
    [InlineData(200, 0x3ffffe2u, 26)]
    [InlineData(254, 0x7fffff0u, 27)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(256, 0x3fffffffu, 30)]
    public void CodesRebuiltFromLengthsMatchAppendixB(int symbol, uint code, int length)
    {
        Assert.Equal(length, HuffmanCode.Length(symbol));
        Assert.Equal(code, HuffmanCode.Codes[symbol]);
    }

    [Fact]
    public void CodeIsCompletePrefixFree()
    {
        // Kraft's sum of a complete prefix code is exactly 1: a wrong length breaks it.
        double sum = 0;
        for (int s = 0; s <= 256; s++)
        {
            sum += Math.Pow(2, -HuffmanCode.Length(s));
        }

        Assert.Equal(1.0, sum, 12);
    }

    [Theory]
    [InlineData("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff")]
    [InlineData("no-cache", "a8eb 1064 9cbf")]
    [InlineData("custom-key", "25a8 49e9 5ba9 7d7f")]
    [InlineData("custom-value", "25a8 49e9 5bb8 e8b4 bf")]
    [InlineData("302", "6402")]
    [InlineData("private", "aec3 771a 4b")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff")]
    [InlineData("https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3")]
    [InlineData("gzip", "9bd9 ab")]
    public void EncodesAndDecodesTheAppendixCStrings(string text, string hex)
    {
        byte[] plain = Encoding.ASCII.GetBytes(text);
        byte[] coded = HpackAppendixCTests.Hex(hex);
        byte[] buffer = new byte[64];

        Assert.Equal(coded.Length, Huffman.EncodedLength(plain));
        int n = Huffman.Encode(plain, buffer);
        Assert.Equal(coded, buffer[..n]);

        n = Huffman.Decode(coded, buffer);
        Assert.Equal(plain, buffer[..n]);
    }

    [Fact]
    public void EveryOctetRoundTrips()
    {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++)
        {
            all[i] = (byte)i;
        }

        byte[] coded = new byte[Huffman.EncodedLength(all)];
        Huffman.Encode(all, coded);
        byte[] back = new byte[256];
        Assert.Equal(256, Huffman.Decode(coded, back));
        Assert.Equal(all, back);
    }

    [Theory]
    [InlineData("ff ff ff ff")] // EOS (30 ones) is a decoding error (5.2)
    [InlineData("f1e3 c2e5 f23a 6ba0 ab90 f4ff ff")] // padding longer than 7 bits
    [InlineData("00")] // '0' then three zero bits: padding not all ones
    public void RejectsEosAndBadPadding(string hex)
    {
        byte[] buffer = new byte[64];
        Assert.Throws<HpackException>(() => Huffman.Decode(HpackAppendixCTests.Hex(hex), buffer));
    }
}
