using System.Buffers.Binary;

namespace Pluma.Http.Http2;

/// <summary>
/// The 9-octet frame header (RFC 9113 4.1): 24-bit length, type, flags, a reserved bit and
/// a 31-bit stream identifier.
/// </summary>
public readonly record struct Http2FrameHeader(int Length, Http2FrameType Type, byte Flags, int StreamId)
{
    public const int Size = 9;

    /// <summary>SETTINGS_MAX_FRAME_SIZE's initial value and floor (RFC 9113 4.2, 6.5.2).</summary>
    public const int DefaultMaxFrameSize = 16384;

    /// <summary>The largest frame payload a peer may allow: 2^24-1.</summary>
    public const int MaxAllowedFrameSize = 16777215;

    public bool HasFlag(byte flag) => (Flags & flag) != 0;

    /// <summary>Reads a header from the first 9 octets; the reserved bit is ignored (4.1).</summary>
    public static Http2FrameHeader Read(ReadOnlySpan<byte> source)
    {
        int length = (source[0] << 16) | (source[1] << 8) | source[2];
        int stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(source[5..]) & 0x7fffffff);
        return new Http2FrameHeader(length, (Http2FrameType)source[3], source[4], stream);
    }

    /// <summary>Writes this header into the first 9 octets of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = (byte)Type;
        destination[4] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId & 0x7fffffff);
    }
}
