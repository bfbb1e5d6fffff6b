using Pluma.Http.Http2;
using Xunit;

namespace Pluma.Http.Tests.Http2;

public sealed class Http2FrameTests
{
    [Fact]
    public void HeaderRoundTripsAndIgnoresTheReservedBit()
    {
        byte[] buffer = new byte[9];
        new Http2FrameHeader(0x123456, Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 0x7fffffff).Write(buffer);
        Assert.Equal(Convert.FromHexString("12345601057fffffff"), buffer);

        buffer[5] |= 0x80;
        Http2FrameHeader read = Http2FrameHeader.Read(buffer);
        Assert.Equal(0x123456, read.Length);
        Assert.Equal(Http2FrameType.Headers, read.Type);
        Assert.True(read.HasFlag(Http2Flags.EndHeaders));
        Assert.False(read.HasFlag(Http2Flags.Padded));
        Assert.Equal(0x7fffffff, read.StreamId);
    }

    [Fact]
    public void PaddingAndPriorityFieldsAreStripped()
    {
        // Padded HEADERS with priority: pad length 2, 5 priority octets, "ab", two pad octets.
        byte[] payload = [2, 0, 0, 0, 3, 16, (byte)'a', (byte)'b', 0, 0];
        var header = new Http2FrameHeader(payload.Length, Http2FrameType.Headers, Http2Flags.Padded | Http2Flags.Priority, 1);
        Assert.True(Http2FramePayload.TryGetContent(header, payload, out ReadOnlySpan<byte> content));
        Assert.Equal("ab"u8.ToArray(), content.ToArray());
        Assert.Equal(3, Http2FramePayload.PriorityDependency(header, payload));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 3, 1, 2 })]
    public void PaddingAsLongAsThePayloadIsAProtocolError(byte[] payload)
    {
        var header = new Http2FrameHeader(payload.Length, Http2FrameType.Data, Http2Flags.Padded, 1);
        Assert.False(Http2FramePayload.TryGetContent(header, payload, out _));
    }

    [Fact]
    public void ControlFramesHaveTheirFixedLayouts()
    {
        byte[] b = new byte[64];
        int n = Http2FrameWriter.WriteSettings(b, [(Http2SettingId.MaxConcurrentStreams, 100u), (Http2SettingId.InitialWindowSize, 65535u)]);
        Assert.Equal(Convert.FromHexString("00000c040000000000" + "000300000064" + "00040000ffff"), b[..n]);

        n = Http2FrameWriter.WriteGoAway(b, 7, Http2ErrorCode.EnhanceYourCalm);
        Assert.Equal(Convert.FromHexString("000008070000000000" + "00000007" + "0000000b"), b[..n]);

        n = Http2FrameWriter.WriteRstStream(b, 3, Http2ErrorCode.Cancel);
        Assert.Equal(Convert.FromHexString("000004030000000003" + "00000008"), b[..n]);

        n = Http2FrameWriter.WriteWindowUpdate(b, 0, 1 << 20);
        Assert.Equal(Convert.FromHexString("000004080000000000" + "00100000"), b[..n]);

        n = Http2FrameWriter.WritePing(b, "12345678"u8, ack: true);
        Assert.Equal(Convert.FromHexString("000008060100000000" + "3132333435363738"), b[..n]);

        n = Http2FrameWriter.WriteSettingsAck(b);
        Assert.Equal(Convert.FromHexString("000000040100000000"), b[..n]);
    }
}
