using Microsoft.Win32.SafeHandles;

namespace Pluma.Http;

/// <summary>
/// An open regular file to answer a GET or HEAD with (Apache's r->finfo plus the descriptor
/// the default handler opened). The caller owns the handle and closes it after the response.
/// </summary>
/// <param name="Handle">Opened for reading.</param>
/// <param name="Length">Its size when stat'ed (st_size).</param>
/// <param name="LastWriteTimeUtc">Its mtime (st_mtime, microseconds count for the ETag).</param>
/// <param name="Inode">Its inode number (st_ino), used by FileETag INode.</param>
/// <param name="ContentType">The type mod_mime chose, or null for no Content-Type.</param>
public readonly record struct StaticFile(SafeFileHandle Handle, long Length, DateTime LastWriteTimeUtc, long Inode, string? ContentType)
{
    /// <summary>
    /// A negotiated response's variant list validator (<c>"hex</c> or <c>W/"hex</c>, Apache's
    /// r->vlist_validator): the ETag becomes the file's tag, its closing quote replaced by ';'
    /// and the validator's digits (ap_set_etag), weak when the validator is.
    /// </summary>
    public string? VariantListValidator { get; init; }

    /// <summary>
    /// The file's bytes, exactly <see cref="Length"/> of them, when the caller holds them in memory
    /// (the open-file cache's small files): the body is copied from them, and the handle is not read.
    /// Null: the body is read from <see cref="Handle"/>.
    /// </summary>
    public byte[]? Contents { get; init; }
}
