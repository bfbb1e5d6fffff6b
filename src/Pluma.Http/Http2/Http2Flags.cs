namespace Pluma.Http.Http2;

/// <summary>Frame flags (RFC 9113 6): each bit means something for its frame types only.</summary>
public static class Http2Flags
{
    /// <summary>DATA, HEADERS: the sender's last frame on the stream.</summary>
    public const byte EndStream = 0x1;

    /// <summary>SETTINGS, PING: an acknowledgement.</summary>
    public const byte Ack = 0x1;

    /// <summary>HEADERS, CONTINUATION: the header block ends here.</summary>
    public const byte EndHeaders = 0x4;

    /// <summary>DATA, HEADERS: a pad length octet leads, padding trails.</summary>
    public const byte Padded = 0x8;

    /// <summary>HEADERS: exclusive flag, stream dependency and weight follow (deprecated, RFC 9113 5.3.2).</summary>
    public const byte Priority = 0x20;
}
