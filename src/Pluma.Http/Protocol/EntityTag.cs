using System.IO;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Pluma.Http.Protocol;

/// <summary>
/// Apache's file ETags (http_etag.c ap_make_etag_ex) and its entity-tag list matching
/// (util.c find_list_item, ap_find_etag_strong / ap_find_etag_weak).
/// </summary>
public static class EntityTag
{
    /// <summary>The longest tag <see cref="Format"/> writes: W/ + quotes + three 16-digit numbers + dashes.</summary>
    public const int MaxLength = 2 + 2 + (3 * 16) + 2;

    /// <summary>
    /// Writes <c>[W/]"inode-size-mtime"</c> with the parts <paramref name="components"/> asks
    /// for, each in lowercase hex without leading zeros, the time in microseconds since 1970.
    /// The tag is weak when the file changed less than a second before the request: it may
    /// change again within the same second. Returns 0 for FileETag None (no header).
    /// Digest is not handled here (see <see cref="FormatDigest"/>).
    /// </summary>
    public static int Format(Span<byte> destination, FileETagComponents components, long inode, long size, DateTime lastWriteUtc, DateTime requestTimeUtc)
    {
        if ((components & FileETagComponents.None) != 0)
        {
            return 0;
        }

        long mtime = ToMicroseconds(lastWriteUtc);
        int n = 0;
        if (ToMicroseconds(requestTimeUtc) - mtime < 1_000_000)
        {
            destination[n++] = (byte)'W';
            destination[n++] = (byte)'/';
        }

        destination[n++] = (byte)'"';
        bool added = false;
        if ((components & FileETagComponents.INode) != 0)
        {
            n += Hex(destination[n..], unchecked((ulong)inode));
            added = true;
        }

        if ((components & FileETagComponents.Size) != 0)
        {
            if (added)
            {
                destination[n++] = (byte)'-';
            }

            n += Hex(destination[n..], unchecked((ulong)size));
            added = true;
        }

        if ((components & FileETagComponents.MTime) != 0)
        {
            if (added)
            {
                destination[n++] = (byte)'-';
            }

            n += Hex(destination[n..], unchecked((ulong)mtime));
        }

        destination[n++] = (byte)'"';
        return n;
    }

    /// <summary>The longest variant list validator <see cref="AppendVariantListValidator"/> takes: a tag as <see cref="Format"/> writes it.</summary>
    public const int MaxVariantListValidator = MaxLength;

    /// <summary>
    /// ap_set_etag for a negotiated response: the file's tag (made weak when the validator is)
    /// loses its closing quote, then ';' and the validator's digits follow. Debian's 2.4.71 sends
    /// no closing quote after them (<c>"9-6474846204000;661ee30516296</c>), and neither does this.
    /// Returns the new length; the validator is ignored when it does not fit.
    /// </summary>
    public static int AppendVariantListValidator(Span<byte> destination, int length, string validator)
    {
        bool weak = validator.StartsWith('W');
        ReadOnlySpan<char> digits = validator.AsSpan(weak ? 3 : 1).TrimEnd('"');
        int prefix = weak && !destination.StartsWith("W/"u8) ? 2 : 0;
        int needed = prefix + length - 1 + 1 + digits.Length;
        if (needed > destination.Length)
        {
            return length;
        }

        if (prefix > 0)
        {
            destination[..length].CopyTo(destination[2..]);
            destination[0] = (byte)'W';
            destination[1] = (byte)'/';
        }

        int n = prefix + length - 1;
        destination[n++] = (byte)';';
        foreach (char c in digits)
        {
            destination[n++] = (byte)c;
        }

        return n;
    }

    /// <summary>
    /// FileETag Digest: <c>"base64(SHA-1 of the content)"</c>, always strong (make_digest_etag).
    /// Reads the whole file; meant for the rare directories configured so. Writes 30 bytes.
    /// </summary>
    public static int FormatDigest(Span<byte> destination, SafeFileHandle file, long length)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long offset = 0;
            while (offset < length)
            {
                int read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - offset)), offset);
                if (read <= 0)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> digest = stackalloc byte[20];
        sha.GetHashAndReset(digest);
        destination[0] = (byte)'"';
        System.Buffers.Text.Base64.EncodeToUtf8(digest, destination[1..], out _, out int written);
        destination[1 + written] = (byte)'"';
        return written + 2;
    }

    /// <summary>Microseconds since 1970 (apr_time_t), as the ETag's mtime part counts them.</summary>
    public static long ToMicroseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>
    /// Whether <paramref name="list"/> (an If-Match value) names <paramref name="etag"/> with the
    /// strong comparison: a weak tag on either side never matches.
    /// </summary>
    public static bool ListMatchesStrong(ReadOnlySpan<byte> list, ReadOnlySpan<byte> etag) => FindInList(list, etag, weak: false);

    /// <summary>
    /// Whether <paramref name="list"/> (an If-None-Match value) names <paramref name="etag"/> with
    /// the weak comparison: W/ prefixes are ignored on both sides.
    /// </summary>
    public static bool ListMatchesWeak(ReadOnlySpan<byte> list, ReadOnlySpan<byte> etag) => FindInList(list, etag, weak: true);

    /// <summary>
    /// find_list_item for entity tags: items are separated by commas outside quotes; the scan
    /// stops at the first item that is not an entity-tag of the wanted kind, as Apache's does.
    /// </summary>
    private static bool FindInList(ReadOnlySpan<byte> list, ReadOnlySpan<byte> etag, bool weak)
    {
        if (weak && etag.StartsWith("W/\""u8))
        {
            etag = etag[2..];
        }

        if (etag.IsEmpty || etag[0] != (byte)'"')
        {
            return false;
        }

        int i = 0;
        while (true)
        {
            while (i < list.Length && (list[i] == (byte)',' || IsSpace(list[i])))
            {
                i++;
            }

            if (weak && list[i..].StartsWith("W/\""u8))
            {
                i += 2;
            }

            if (i >= list.Length || list[i] != (byte)'"')
            {
                return false;
            }

            // The quoted tag, with quoted-pairs kept as they are (Apache compares them byte for byte).
            int start = i++;
            while (i < list.Length && list[i] != (byte)'"')
            {
                i += list[i] == (byte)'\\' ? 2 : 1;
            }

            i = Math.Min(i + 1, list.Length);
            bool same = list[start..i].SequenceEqual(etag);
            while (i < list.Length && IsSpace(list[i]))
            {
                i++;
            }

            if (i >= list.Length || list[i] == (byte)',')
            {
                if (same)
                {
                    return true;
                }

                continue;
            }

            // Something after the closing quote: this item is no match; go on after its comma.
            while (i < list.Length && list[i] != (byte)',')
            {
                i++;
            }
        }
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';

    /// <summary>etag_uint64_to_hex: lowercase, no leading zeros, at least one digit.</summary>
    private static int Hex(Span<byte> destination, ulong value)
    {
        System.Buffers.Text.Utf8Formatter.TryFormat(value, destination, out int written, new System.Buffers.StandardFormat('x'));
        return written;
    }
}
