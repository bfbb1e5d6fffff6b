namespace Pluma.Http.Http2.Hpack;

/// <summary>
/// A header block that cannot be decoded: a COMPRESSION_ERROR for the whole connection
/// (RFC 9113 4.3), since the peers' tables no longer agree.
/// </summary>
public sealed class HpackException : Exception
{
    public HpackException()
    {
    }

    public HpackException(string message)
        : base(message)
    {
    }

    public HpackException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when the block only exceeded the header list limit (the tables still agree).</summary>
    public bool IsListTooLarge { get; init; }
}
