namespace Pluma.Http.Protocol;

/// <summary>
/// What goes into a file's ETag (core's FileETag keywords, http_core.h ETAG_*). Apache 2.4's
/// default, when nothing is configured, is <see cref="MTime"/> | <see cref="Size"/>.
/// </summary>
[Flags]
public enum FileETagComponents : byte
{
    /// <summary>Nothing configured at this level (ETAG_UNSET).</summary>
    Unset = 0,

    /// <summary>No ETag header at all.</summary>
    None = 1 << 0,

    /// <summary>The modification time in microseconds (MTime, LMTime, LastModified).</summary>
    MTime = 1 << 1,

    /// <summary>The inode number.</summary>
    INode = 1 << 2,

    /// <summary>The size in bytes.</summary>
    Size = 1 << 3,

    /// <summary>A SHA-1 of the content, base64 (FileETag Digest; always strong).</summary>
    Digest = 1 << 4,

    /// <summary>INode, MTime and Size.</summary>
    All = MTime | INode | Size,

    /// <summary>Apache 2.4's default (ETAG_BACKWARD): MTime and Size.</summary>
    Default = MTime | Size,
}
