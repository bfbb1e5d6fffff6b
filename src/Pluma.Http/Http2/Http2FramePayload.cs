namespace Pluma.Http.Http2;

/// <summary>
/// Strips what wraps the content of DATA and HEADERS payloads: padding (RFC 9113 6.1, 6.2)
/// and HEADERS' deprecated priority fields, which are read and ignored (5.3.2).
/// </summary>
public static class Http2FramePayload
{
    /// <summary>
    /// The content of a DATA or HEADERS payload, or false when the padding is as long as the
    /// payload or longer (a PROTOCOL_ERROR, 6.1).
    /// </summary>
    public static bool TryGetContent(in Http2FrameHeader header, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> content)
    {
        content = payload;
        int padLength = 0;
        if (header.HasFlag(Http2Flags.Padded))
        {
            if (content.IsEmpty)
            {
                return false;
            }

            padLength = content[0];
            content = content[1..];
        }

        if (header.Type == Http2FrameType.Headers && header.HasFlag(Http2Flags.Priority))
        {
            if (content.Length < 5)
            {
                return false;
            }

            content = content[5..];
        }

        if (padLength > content.Length)
        {
            return false;
        }

        content = content[..^padLength];
        return true;
    }

    /// <summary>The stream a HEADERS frame's priority fields depend on, or 0 (a stream may not depend on itself: 5.3.1).</summary>
    public static int PriorityDependency(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.Type != Http2FrameType.Headers || !header.HasFlag(Http2Flags.Priority))
        {
            return 0;
        }

        int start = header.HasFlag(Http2Flags.Padded) ? 1 : 0;
        if (payload.Length < start + 5)
        {
            return 0;
        }

        return (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload[start..]) & 0x7fffffff);
    }
}
