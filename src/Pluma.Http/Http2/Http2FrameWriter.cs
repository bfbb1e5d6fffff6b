using System.Buffers.Binary;

namespace Pluma.Http.Http2;

/// <summary>
/// Writes whole control frames, and the headers of DATA/HEADERS/CONTINUATION frames, into a
/// caller's buffer; returns the octets written. Nothing here allocates.
/// </summary>
public static class Http2FrameWriter
{
    /// <summary>The client's connection preface (RFC 9113 3.4), 24 octets.</summary>
    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static int WriteSettings(Span<byte> destination, ReadOnlySpan<(Http2SettingId Id, uint Value)> settings)
    {
        new Http2FrameHeader(settings.Length * 6, Http2FrameType.Settings, 0, 0).Write(destination);
        int n = Http2FrameHeader.Size;
        foreach ((Http2SettingId id, uint value) in settings)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[n..], (ushort)id);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(n + 2)..], value);
            n += 6;
        }

        return n;
    }

    public static int WriteSettingsAck(Span<byte> destination)
    {
        new Http2FrameHeader(0, Http2FrameType.Settings, Http2Flags.Ack, 0).Write(destination);
        return Http2FrameHeader.Size;
    }

    public static int WritePing(Span<byte> destination, ReadOnlySpan<byte> opaque, bool ack)
    {
        new Http2FrameHeader(8, Http2FrameType.Ping, ack ? Http2Flags.Ack : (byte)0, 0).Write(destination);
        opaque[..8].CopyTo(destination[Http2FrameHeader.Size..]);
        return Http2FrameHeader.Size + 8;
    }

    public static int WriteGoAway(Span<byte> destination, int lastStreamId, Http2ErrorCode error)
    {
        new Http2FrameHeader(8, Http2FrameType.GoAway, 0, 0).Write(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], (uint)lastStreamId & 0x7fffffff);
        BinaryPrimitives.WriteUInt32BigEndian(destination[13..], (uint)error);
        return Http2FrameHeader.Size + 8;
    }

    public static int WriteRstStream(Span<byte> destination, int streamId, Http2ErrorCode error)
    {
        new Http2FrameHeader(4, Http2FrameType.RstStream, 0, streamId).Write(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], (uint)error);
        return Http2FrameHeader.Size + 4;
    }

    public static int WriteWindowUpdate(Span<byte> destination, int streamId, int increment)
    {
        new Http2FrameHeader(4, Http2FrameType.WindowUpdate, 0, streamId).Write(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], (uint)increment & 0x7fffffff);
        return Http2FrameHeader.Size + 4;
    }
}
