using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Pluma.Modules.ProxyFcgi;

namespace Pluma.Modules.Tests.ProxyFcgi;

/// <summary>The FastCGI record codec against the specification's byte layouts (FastCGI 1.0, sections 3.3, 3.4, 5.1).</summary>
public sealed class FcgiCodecTests
{
    [Fact]
    public void BeginRequestIsResponderWithOrWithoutKeepConn()
    {
        Assert.Equal(new byte[] { 1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 }, FcgiCodec.BeginRequest(1, keepConnection: true));
        Assert.Equal(new byte[] { 1, 1, 0x12, 0x34, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, FcgiCodec.BeginRequest(0x1234, keepConnection: false));
    }

    [Fact]
    public void HeaderRoundTripsBigEndianFields()
    {
        byte[] h = new byte[8];
        FcgiCodec.WriteHeader(h, FcgiRecordType.Stdout, 0x0102, 0xfffe, 7);
        Assert.Equal(new byte[] { 1, 6, 1, 2, 0xff, 0xfe, 7, 0 }, h);
        Assert.Equal(new FcgiHeader(1, FcgiRecordType.Stdout, 0x0102, 0xfffe, 7), FcgiHeader.Parse(h));
        Assert.Throws<ArgumentOutOfRangeException>(() => FcgiCodec.WriteHeader(h, FcgiRecordType.Stdin, 1, 65536));
    }

    [Fact]
    public void PairsUseOneByteLengthsBelow128AndFourAbove()
    {
        var body = new List<byte>();
        FcgiCodec.AppendPair(body, "A", new string('v', 127));
        Assert.Equal(new byte[] { 1, 127, (byte)'A' }, body.Take(3).ToArray());
        body.Clear();
        FcgiCodec.AppendPair(body, new string('N', 128), new string('v', 70000));
        Assert.Equal(new byte[] { 0x80, 0, 0, 128, 0x80, 0x01, 0x11, 0x70 }, body.Take(8).ToArray());
        Assert.Equal(8 + 128 + 70000, body.Count);
        Assert.Equal(body.Count, FcgiCodec.PairLength(128, 70000));

        var decoded = new List<KeyValuePair<string, string>>();
        Assert.True(FcgiCodec.TryDecodePairs(body.ToArray(), decoded));
        Assert.Equal(new string('N', 128), decoded.Single().Key);
        Assert.Equal(70000, decoded.Single().Value.Length);
        Assert.False(FcgiCodec.TryDecodePairs(body.Take(body.Count - 1).ToArray(), new List<KeyValuePair<string, string>>()));
    }

    [Fact]
    public void ParamsAreCutIntoRecordsOfAtMost16KiBWithEachPairWholeThenTheEmptyRecord()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < 10; i++)
        {
            pairs.Add(new("VAR" + i, new string((char)('a' + i), 5000)));
        }

        pairs.Add(new("HUGE", new string('x', 20000)));
        pairs.Add(new("LAST", "1"));
        var skipped = new List<string>();
        byte[] stream = FcgiCodec.EncodeParams(pairs, 1, skipped);
        Assert.Equal(["HUGE"], skipped);

        var reader = new FcgiRecordReader(new MemoryStream(stream).Read);
        var decoded = new List<KeyValuePair<string, string>>();
        var lengths = new List<int>();
        while (reader.TryReadHeader(out FcgiHeader h))
        {
            Assert.Equal(FcgiRecordType.Params, h.Type);
            Assert.Equal(1, h.RequestId);
            lengths.Add(h.ContentLength);
            byte[] content = new byte[h.ContentLength];
            int at = 0;
            while (at < content.Length)
            {
                at += reader.ReadContent(content.AsSpan(at));
            }

            Assert.True(FcgiCodec.TryDecodePairs(content, decoded), "a pair was split across records");
        }

        Assert.All(lengths, l => Assert.InRange(l, 0, FcgiCodec.ParamsRecordLimit));
        Assert.Equal(0, lengths[^1]);
        Assert.Equal(5, lengths.Count); // 3 + 3 + 3 + 1 pairs of ~5 KiB (LAST with the fourth), then the empty record
        Assert.Equal(pairs.Where(p => p.Key != "HUGE").ToList(), decoded);
    }

    [Fact]
    public void StdinLargerThan64KiBIsSplitAndEndsWithAnEmptyRecord()
    {
        byte[] body = new byte[150_000];
        new Random(7).NextBytes(body);
        var wire = new MemoryStream();
        var writer = new FcgiStdinWriter(d => wire.Write(d), 1);
        writer.Write(body);
        writer.Write([]);
        writer.End();

        var reader = new FcgiRecordReader(new MemoryStream(wire.ToArray()).Read);
        var lengths = new List<int>();
        var received = new MemoryStream();
        byte[] piece = new byte[1000];
        while (reader.TryReadHeader(out FcgiHeader h))
        {
            Assert.Equal(FcgiRecordType.Stdin, h.Type);
            lengths.Add(h.ContentLength);
            int n;
            while ((n = reader.ReadContent(piece)) > 0)
            {
                received.Write(piece, 0, n);
            }
        }

        Assert.Equal([65535, 65535, 150_000 - (2 * 65535), 0], lengths);
        Assert.Equal(body, received.ToArray());
        Assert.Equal(3, FcgiCodec.RecordCount(body.Length));
    }

    [Fact]
    public void ReaderSkipsPaddingAndUnreadContentAndWorksByteByByte()
    {
        var wire = new MemoryStream();
        byte[] h = new byte[8];
        FcgiCodec.WriteHeader(h, FcgiRecordType.Stdout, 1, 5, 3);
        wire.Write(h);
        wire.Write("hello"u8);
        wire.Write(new byte[3]);
        FcgiCodec.WriteHeader(h, FcgiRecordType.Stderr, 1, 4, 4);
        wire.Write(h);
        wire.Write("oops"u8);
        wire.Write(new byte[4]);
        FcgiCodec.WriteHeader(h, FcgiRecordType.EndRequest, 1, 8, 0);
        wire.Write(h);
        wire.Write(new byte[8]);
        byte[] bytes = wire.ToArray();
        int at = 0;

        // A source that hands out one byte per call, as a slow socket may.
        var reader = new FcgiRecordReader(dest =>
        {
            if (at == bytes.Length || dest.IsEmpty)
            {
                return 0;
            }

            dest[0] = bytes[at++];
            return 1;
        });

        Assert.True(reader.TryReadHeader(out FcgiHeader first));
        Assert.Equal(FcgiRecordType.Stdout, first.Type);
        byte[] two = new byte[2];
        Assert.Equal(1, reader.ReadContent(two)); // partly read: the rest and the padding are skipped
        Assert.True(reader.TryReadHeader(out FcgiHeader second));
        Assert.Equal(FcgiRecordType.Stderr, second.Type);
        var text = new StringBuilder();
        int n;
        while ((n = reader.ReadContent(two)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(two, 0, n));
        }

        Assert.Equal("oops", text.ToString());
        Assert.True(reader.TryReadHeader(out FcgiHeader end));
        Assert.Equal(FcgiRecordType.EndRequest, end.Type);
        reader.SkipRecord();
        Assert.False(reader.TryReadHeader(out _));
    }

    [Fact]
    public void ReaderRefusesAStreamThatEndsInsideAHeaderOrARecord()
    {
        Assert.Throws<EndOfStreamException>(() => new FcgiRecordReader(new MemoryStream(new byte[] { 1, 6, 0 }).Read).TryReadHeader(out _));
        var reader = new FcgiRecordReader(new MemoryStream(new byte[] { 1, 6, 0, 1, 0, 10, 0, 0, 1, 2 }).Read);
        Assert.True(reader.TryReadHeader(out _));
        byte[] buffer = new byte[10];
        Assert.Equal(2, reader.ReadContent(buffer));
        Assert.Throws<EndOfStreamException>(() => reader.ReadContent(buffer));
    }
}
