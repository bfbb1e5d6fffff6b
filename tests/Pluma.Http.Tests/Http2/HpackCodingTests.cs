using Pluma.Http.Http2.Hpack;
using Xunit;

namespace Pluma.Http.Tests.Http2;

public sealed class HpackCodingTests
{
    [Theory]
    [InlineData(10, 5, "0a")] // C.1.1
    [InlineData(1337, 5, "1f9a0a")] // C.1.2
    [InlineData(42, 8, "2a")] // C.1.3
    [InlineData(126, 7, "7e")]
    [InlineData(127, 7, "7f00")]
    public void IntegersUseThePrefixAndContinuationOctets(int value, int prefix, string hex)
    {
        byte[] buffer = new byte[8];
        int n = HpackInteger.Encode(buffer, value, prefix, 0);
        Assert.Equal(Convert.FromHexString(hex), buffer[..n]);

        int pos = 0;
        Assert.Equal(value, HpackInteger.Decode(Convert.FromHexString(hex), ref pos, prefix));
        Assert.Equal(n, pos);
    }

    [Theory]
    [InlineData("1f")] // truncated
    [InlineData("1fffffffffff0f")] // above int.MaxValue
    [InlineData("1f808080808080")] // too many continuation octets
    public void BadIntegersAreDecodingErrors(string hex)
    {
        Assert.Throws<HpackException>(() =>
        {
            int pos = 0;
            HpackInteger.Decode(Convert.FromHexString(hex), ref pos, 5);
        });
    }

    [Theory]
    [InlineData("80")] // index 0 (6.1)
    [InlineData("be")] // index 62: the dynamic table is empty
    [InlineData("4005 6b65 79")] // string longer than the block
    [InlineData("82 3f e1 1f")] // size update after a field (4.2)
    [InlineData("3fe21f")] // size update above SETTINGS_HEADER_TABLE_SIZE 4096
    public void MalformedBlocksAreCompressionErrors(string hex)
    {
        var decoder = new HpackDecoder(4096, 65536);
        HpackException e = Assert.Throws<HpackException>(() => HpackAppendixCTests.Decode(decoder, hex));
        Assert.False(e.IsListTooLarge);
    }

    [Fact]
    public void SizeUpdateToZeroEmptiesTheTable()
    {
        var decoder = new HpackDecoder(4096, 65536);
        HpackAppendixCTests.Decode(decoder, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        Assert.Equal(1, decoder.Table.Count);
        HpackAppendixCTests.Decode(decoder, "20");
        Assert.Equal(0, decoder.Table.Count);
    }

    [Fact]
    public void HeaderListAboveTheLimitIsRefusedAfterTheWholeBlockKeepsTheTableInStep()
    {
        // Two incremental-indexing fields of 55 each against a limit of 60: the second passes it.
        var decoder = new HpackDecoder(4096, 60);
        string field = "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572";
        HpackException e = Assert.Throws<HpackException>(() => HpackAppendixCTests.Decode(decoder, field + field));
        Assert.True(e.IsListTooLarge);
        Assert.Equal(2, decoder.Table.Count);
    }

    [Fact]
    public void ManyInsertionsCycleThroughTheTableWithoutLosingEntries()
    {
        var decoder = new HpackDecoder(256, 65536);
        for (int i = 0; i < 500; i++)
        {
            string name = "k" + (i % 97).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            string value = new string('v', i % 40);
            byte[] block = new byte[128];
            int n = 0;
            block[n++] = 0x40;
            n += HpackEncoder.EncodeString(System.Text.Encoding.ASCII.GetBytes(name), block.AsSpan(n));
            n += HpackEncoder.EncodeString(System.Text.Encoding.ASCII.GetBytes(value), block.AsSpan(n));
            var sink = new HpackAppendixCTests.ListSink();
            decoder.Decode(block.AsSpan(0, n), sink);
            Assert.Equal((name, value), sink.Fields[0]);

            // The newest entry is reachable as index 62.
            sink = new HpackAppendixCTests.ListSink();
            decoder.Decode(new byte[] { 0xbe }, sink);
            Assert.Equal((name, value), sink.Fields[0]);
            Assert.True(decoder.Table.Size <= 256);
        }
    }

    [Fact]
    public void EncoderOutputDecodesBack()
    {
        byte[] block = new byte[256];
        int n = HpackEncoder.EncodeStatus(200, block);
        n += HpackEncoder.EncodeStatus(418, block.AsSpan(n));
        n += HpackEncoder.EncodeField("content-type"u8, "text/html; charset=UTF-8"u8, block.AsSpan(n));
        n += HpackEncoder.EncodeField("x-pluma"u8, "\u00ff1"u8, block.AsSpan(n));
        var decoder = new HpackDecoder(4096, 65536);
        var sink = new HpackAppendixCTests.ListSink();
        decoder.Decode(block.AsSpan(0, n), sink);
        Assert.Equal([(":status", "200"), (":status", "418"), ("content-type", "text/html; charset=UTF-8"), ("x-pluma", "\u00c3\u00bf1")], sink.Fields);
        Assert.Equal(0, decoder.Table.Count);
    }
}
