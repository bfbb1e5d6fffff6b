using System.Collections.Generic;
using System.Text;
using Pluma.Http.Http2.Hpack;
using Xunit;

namespace Pluma.Http.Tests.Http2;

/// <summary>RFC 7541 Appendix C: the published header blocks, decoded in sequence on one decoder.</summary>
public sealed class HpackAppendixCTests
{
    private const string Date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    [Fact]
    public void C21LiteralWithIndexingEntersTheTable()
    {
        var decoder = new HpackDecoder(4096, 65536);
        Assert.Equal([("custom-key", "custom-header")], Decode(decoder, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        Assert.Equal(55, decoder.Table.Size);
        Assert.Equal("custom-key", Encoding.ASCII.GetString(decoder.Table.Name(0)));
    }

    [Fact]
    public void C22LiteralWithoutIndexingLeavesTheTableEmpty()
    {
        var decoder = new HpackDecoder(4096, 65536);
        Assert.Equal([(":path", "/sample/path")], Decode(decoder, "040c 2f73 616d 706c 652f 7061 7468"));
        Assert.Equal(0, decoder.Table.Count);
    }

    [Fact]
    public void C23LiteralNeverIndexedLeavesTheTableEmpty()
    {
        var decoder = new HpackDecoder(4096, 65536);
        Assert.Equal([("password", "secret")], Decode(decoder, "1008 7061 7373 776f 7264 0673 6563 7265 74"));
        Assert.Equal(0, decoder.Table.Count);
    }

    [Fact]
    public void C24IndexedFieldComesFromTheStaticTable()
    {
        var decoder = new HpackDecoder(4096, 65536);
        Assert.Equal([(":method", "GET")], Decode(decoder, "82"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void C3AndC4RequestSequencesShareOneDynamicTable(bool huffman)
    {
        string[] blocks = huffman
            ? ["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"]
            : ["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"];
        var decoder = new HpackDecoder(4096, 65536);

        Assert.Equal([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")], Decode(decoder, blocks[0]));
        Assert.Equal(57, decoder.Table.Size);

        Assert.Equal([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")], Decode(decoder, blocks[1]));
        Assert.Equal(110, decoder.Table.Size);

        Assert.Equal([(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")], Decode(decoder, blocks[2]));
        Assert.Equal(164, decoder.Table.Size);
        Assert.Equal(3, decoder.Table.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void C5AndC6ResponsesEvictFromA256OctetTable(bool huffman)
    {
        string[] blocks = huffman
            ? [
                "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                "4883 640e ffc1 c0bf",
                "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
            ]
            : [
                "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "4803 3330 37c1 c0bf",
                "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
            ];
        var decoder = new HpackDecoder(256, 65536);

        Assert.Equal([(":status", "302"), ("cache-control", "private"), ("date", Date1), ("location", "https://www.example.com")], Decode(decoder, blocks[0]));
        Assert.Equal(222, decoder.Table.Size);

        Assert.Equal([(":status", "307"), ("cache-control", "private"), ("date", Date1), ("location", "https://www.example.com")], Decode(decoder, blocks[1]));
        Assert.Equal(222, decoder.Table.Size);
        Assert.Equal(":status", Encoding.ASCII.GetString(decoder.Table.Name(0)));

        Assert.Equal(
            [(":status", "200"), ("cache-control", "private"), ("date", Date2), ("location", "https://www.example.com"), ("content-encoding", "gzip"), ("set-cookie", Cookie)],
            Decode(decoder, blocks[2]));
        Assert.Equal(215, decoder.Table.Size);
        Assert.Equal(3, decoder.Table.Count);
        Assert.Equal(Cookie, Encoding.ASCII.GetString(decoder.Table.Value(0)));
        Assert.Equal(Date2, Encoding.ASCII.GetString(decoder.Table.Value(2)));
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    internal static List<(string, string)> Decode(HpackDecoder decoder, string hex)
    {
        var sink = new ListSink();
        decoder.Decode(Hex(hex), sink);
        return sink.Fields;
    }

    internal sealed class ListSink : IHpackHeaderSink
    {
        public List<(string, string)> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }
}
