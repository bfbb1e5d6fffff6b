using System.Collections.Generic;
using Pluma.Config;

namespace Pluma.Modules.Core;

/// <summary>
/// Parsed access files (.htaccess) of one server, so that a request pays one stat(2) per
/// directory and name instead of a read and a parse: httpd re-reads every file on every request
/// (ap_parse_htaccess caches only within one request). An entry is used only while a new stat
/// shows the very same file (inode, size, modification and change time, mode, owner: a rewrite,
/// a chmod or a replacement misses) and the directory allows the same overrides; otherwise the
/// file is read again. Keyed by inode so a hit compares bytes and allocates nothing. Bounded in
/// entries: only files that exist on disk get here, and past the bound the cache starts afresh.
/// </summary>
internal sealed class AccessFileCache
{
    private const int MaxEntries = 4096;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Entry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The parse of <paramref name="path"/> (UTF-8, no NUL) if <paramref name="status"/> still describes the file it was made from.</summary>
    public AccessFileResult? Find(ReadOnlySpan<byte> path, in AccessFileStamp status, AccessFileOverrides overrides, IReadOnlyList<string>? list)
    {
        if (_entries.TryGetValue(status.Inode, out Entry? e)
            && e.Status == status
            && ReferenceEquals(e.Overrides, overrides)
            && ReferenceEquals(e.List, list)
            && path.SequenceEqual(e.Path))
        {
            return e.Result;
        }

        return null;
    }

    public void Store(ReadOnlySpan<byte> path, in AccessFileStamp status, AccessFileOverrides overrides, IReadOnlyList<string>? list, AccessFileResult result)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[status.Inode] = new Entry(path.ToArray(), status, overrides, list, result);
    }

    private sealed record Entry(byte[] Path, AccessFileStamp Status, AccessFileOverrides Overrides, IReadOnlyList<string>? List, AccessFileResult Result);
}

/// <summary>
/// What a stat(2) says of an access file that decides whether its parse is still good: a
/// rewrite moves the size or the times, a chmod or chown the change time, mode and owner.
/// </summary>
internal readonly record struct AccessFileStamp(long Inode, long Size, DateTime Modified, long ChangeTimeNs, int Mode, int OwnerUid, int OwnerGid);
