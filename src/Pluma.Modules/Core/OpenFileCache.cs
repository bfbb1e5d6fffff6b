using System.Collections.Concurrent;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Core;

/// <summary>
/// Keeps the files the default handler serves open between requests, as nginx's
/// open_file_cache does: opening and closing a file costs more than serving a small one. An
/// entry is used only while stat(2) of the path (taken for every request anyway) still shows the
/// same inode, size and modification time, so an edited or replaced file is reopened at once.
/// Reads use pread(2), so threads share a descriptor safely. A replaced handle is closed by its
/// finalizer once no request holds it any more.
/// </summary>
public static class OpenFileCache
{
    // Enough for a site's hot set; beyond it files are opened per request as Apache does.
    private const int Capacity = 1024;

    private static readonly ConcurrentDictionary<string, Entry> s_entries = new(StringComparer.Ordinal);

    /// <summary>
    /// An open handle for <paramref name="path"/> as <paramref name="st"/> describes it. When
    /// <paramref name="callerOwns"/> is true the cache is full and the caller closes the handle.
    /// </summary>
    public static SafeFileHandle Open(string path, FileStatus st, out bool callerOwns)
    {
        callerOwns = false;
        if (s_entries.TryGetValue(path, out Entry? e) && e.Inode == st.Inode && e.Size == st.Size && e.LastWriteUtc == st.LastWriteUtc)
        {
            return e.Handle;
        }

        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (e is not null || s_entries.Count < Capacity)
        {
            // A stale entry's handle may still serve another thread's response: its finalizer
            // closes it once nothing holds it.
            s_entries[path] = new Entry(handle, st.Inode, st.Size, st.LastWriteUtc);
        }
        else
        {
            callerOwns = true;
        }

        return handle;
    }

    private sealed record Entry(SafeFileHandle Handle, long Inode, long Size, DateTime LastWriteUtc);
}
