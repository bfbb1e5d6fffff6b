using System.Collections.Concurrent;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.CoreRequest;

/// <summary>
/// Keeps the files the default handler serves open between requests, as nginx's
/// open_file_cache does: opening and closing a file costs more than serving a small one.
/// <list type="bullet">
/// <item>An entry is used only while stat(2) of the path (taken for every request anyway) still
/// shows the same file, contents and access (<see cref="FileStatus.IsSameFileAs"/>); otherwise the
/// file is opened again, so a chmod is checked by open(2) again (403, as Apache's open per request).</item>
/// <item>Each entry counts its users: the cache holds one reference, every request serving the file
/// another. A replaced or evicted entry loses the cache's reference and its descriptor is closed
/// the moment the last response using it is done, never while a read or sendfile still uses it
/// (so a descriptor number is never used after it was closed and reused).</item>
/// <item>The capacity is a quarter of the descriptor limit (RLIMIT_NOFILE), at most 1024: the rest is
/// for connections, logs and listeners. When open(2) fails with EMFILE or ENFILE the cache lets go
/// of its descriptors and tries once more.</item>
/// <item>A small regular file's bytes are kept in its entry (<see cref="OpenFile.Contents"/>) once
/// read, and served from memory while the stat still shows the same file: a keep-alive request for
/// it makes no pread(2). See <see cref="MaxHeldFileSize"/>, <see cref="MaxHeldBytes"/> and
/// <see cref="SettleTime"/> for which files and when.</item>
/// </list>
/// Reads use pread(2), so threads share a descriptor safely.
/// </summary>
public static partial class OpenFileCache
{
    private const int MaxCapacity = 1024;
    private const int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    private const int EINTR = 4, ENOENT = 2, EACCES = 13, EPERM = 1, ENOTDIR = 20, ENFILE = 23, EMFILE = 24;

    /// <summary>
    /// The largest file whose bytes an entry keeps: one page. The saving is one pread(2) per
    /// request whatever the size, while the memory grows with it; a page holds the files requested
    /// most often for their size (robots.txt, small icons, scripts and style sheets) and is well
    /// inside the output buffer, which is where the bytes would be read to anyway.
    /// </summary>
    internal const int MaxHeldFileSize = 4096;

    /// <summary>
    /// The bytes all entries of this process keep at most: 64 files of a page, more of smaller
    /// ones. Each child is a process of its own (prefork runs up to MaxRequestWorkers of them),
    /// so this is per child and kept small; a file that does not fit is read per request as before.
    /// </summary>
    internal const long MaxHeldBytes = 256 * 1024;

    /// <summary>
    /// Bytes are kept only once the file's change and modification times are this much older than
    /// the request (git's "racily clean" rule). A file written again within one tick of the
    /// file system's clock (a kernel tick on ext4, 1 s on ext3, 2 s on FAT) keeps its times; a
    /// change made after the bytes were read and within that tick would go unseen by the stat. A
    /// file changed this long ago is read per request until it settles: any change after the
    /// bytes were read then moves its times.
    /// </summary>
    internal static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<string, Entry> s_entries = new(StringComparer.Ordinal);
    private static readonly Lock s_evictGate = new();
    private static int s_count;
    private static long s_heldBytes;

    /// <summary>How many files the cache keeps open at most in this process.</summary>
    public static int Capacity { get; } = CapacityFor(DescriptorLimit());

    /// <summary>A quarter of the descriptor limit, at most <see cref="MaxCapacity"/>.</summary>
    internal static int CapacityFor(long descriptorLimit) => (int)Math.Clamp(descriptorLimit / 4, 0, MaxCapacity);

    /// <summary>The bytes the entries of this process keep now (tests).</summary>
    internal static long HeldBytes => Volatile.Read(ref s_heldBytes);

    /// <summary><see cref="Open(string, in FileStatus, DateTime)"/> at the current time.</summary>
    public static OpenFile Open(string path, in FileStatus st) => Open(path, st, DateTime.UtcNow);

    /// <summary>
    /// An open file for <paramref name="path"/> as <paramref name="st"/> describes it, held for
    /// the caller until it disposes the returned <see cref="OpenFile"/>; with its bytes when it
    /// is small and settled at <paramref name="now"/> (the request's time). Throws
    /// UnauthorizedAccessException (EACCES), FileNotFoundException, or IOException.
    /// </summary>
    public static OpenFile Open(string path, in FileStatus st, DateTime now)
    {
        while (s_entries.TryGetValue(path, out Entry? e))
        {
            if (e.Status.IsSameFileAs(st))
            {
                if (e.TryAddRef())
                {
                    e.Used = true;
                    if (e.WantsContents)
                    {
                        e.TryHoldContents(now);
                    }

                    return new OpenFile(e);
                }

                // Released by another thread just now; look again.
                continue;
            }

            // The file changed: close the old version as soon as no response uses it.
            Forget(path, e);
            break;
        }

        var fresh = new Entry(OpenOrEvictAndRetry(path), st);
        if (TryReserveSlot())
        {
            // The cache's reference is taken before the entry is visible to other threads.
            fresh.AddRef();
            if (!s_entries.TryAdd(path, fresh))
            {
                ReleaseSlot();
                fresh.Release();
            }
            else if (fresh.WantsContents)
            {
                // Only an entry the cache keeps: the bytes are for the requests after this one.
                fresh.TryHoldContents(now);
            }
        }

        // The caller's reference; an entry the cache did not keep is closed when the caller is done.
        return new OpenFile(fresh);
    }

    /// <summary>Drops the entry of a path that no longer names a file (its descriptor closes once unused).</summary>
    public static void Forget(string path)
    {
        if (s_entries.TryGetValue(path, out Entry? e))
        {
            Forget(path, e);
        }
    }

    private static void Forget(string path, Entry e)
    {
        if (s_entries.TryRemove(new(path, e)))
        {
            ReleaseSlot();
            e.Release();
        }
    }

    private static bool TryReserveSlot()
    {
        if (Interlocked.Increment(ref s_count) <= Capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref s_count);
        // Full: let go of the entries no request asked for since the last sweep (a second chance
        // for the rest), so that a changed working set gets in; else serve this file uncached.
        if (!Sweep(onlyUnused: true))
        {
            return false;
        }

        if (Interlocked.Increment(ref s_count) <= Capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref s_count);
        return false;
    }

    private static void ReleaseSlot() => Interlocked.Decrement(ref s_count);

    /// <summary>Removes unused entries (or all of them); true when any was removed.</summary>
    private static bool Sweep(bool onlyUnused)
    {
        lock (s_evictGate)
        {
            bool removed = false;
            foreach (var (path, e) in s_entries)
            {
                if (onlyUnused && e.Used)
                {
                    e.Used = false;
                    continue;
                }

                if (s_entries.TryRemove(new(path, e)))
                {
                    ReleaseSlot();
                    e.Release();
                    removed = true;
                }
            }

            return removed;
        }
    }

    private static SafeFileHandle OpenOrEvictAndRetry(string path)
    {
        int fd = OpenReadOnly(path, out int errno);
        if (fd < 0 && errno is EMFILE or ENFILE)
        {
            // Out of descriptors: those the cache holds are the ones the server can give back.
            Sweep(onlyUnused: false);
            fd = OpenReadOnly(path, out errno);
        }

        if (fd < 0)
        {
            throw errno switch
            {
                EACCES or EPERM => new UnauthorizedAccessException(path),
                ENOENT or ENOTDIR => new FileNotFoundException(null, path),
                _ => new IOException(Marshal.GetPInvokeErrorMessage(errno) + ": " + path, errno),
            };
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static int OpenReadOnly(string path, out int errno)
    {
        int fd;
        do
        {
            fd = open(path, O_RDONLY | O_CLOEXEC);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (fd < 0 && errno == EINTR);

        return fd;
    }

    private static unsafe long DescriptorLimit()
    {
        const int RLIMIT_NOFILE = 7;
        ulong* limit = stackalloc ulong[2];
        // rlim_cur is the soft limit, the one open(2) fails against.
        return getrlimit(RLIMIT_NOFILE, limit) == 0 ? (long)Math.Min(limit[0], int.MaxValue) : 1024;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static unsafe partial int getrlimit(int resource, ulong* limit);

    /// <summary>Whether <paramref name="st"/>'s times are <see cref="SettleTime"/> older than <paramref name="now"/>.</summary>
    internal static bool IsSettled(in FileStatus st, DateTime now)
    {
        if (now.Ticks < SettleTime.Ticks)
        {
            return false; // no time given (DateTime.MinValue): never settled
        }

        DateTime settledBefore = now - SettleTime;
        long settledBeforeNs = (settledBefore.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        return st.LastWriteUtc < settledBefore && st.ChangeTimeNs < settledBeforeNs;
    }

    /// <summary>One open file and its users: the cache (while it keeps the entry) and each request serving it.</summary>
    internal sealed class Entry(SafeFileHandle handle, FileStatus status)
    {
        // One reference for the request that opened it; the cache adds its own when it keeps the entry.
        private int _references = 1;

        // The file's Status.Size bytes, read once while the entry was valid; null until then.
        private byte[]? _contents;

        public SafeFileHandle Handle { get; } = handle;

        public FileStatus Status { get; } = status;

        public byte[]? Contents => Volatile.Read(ref _contents);

        /// <summary>
        /// A small regular file whose bytes are not held yet (nor found unreadable). Written
        /// without a lock: a stale true costs one more look in <see cref="TryHoldContents"/>.
        /// </summary>
        public bool WantsContents { get; private set; } = status.IsRegular && status.Size is > 0 and <= MaxHeldFileSize;

        /// <summary>
        /// Reads the file's bytes into the entry when it has settled and the process's budget has
        /// room (a caller holding a reference, so the descriptor is open). A short read means the
        /// file changed after its stat: the bytes are not kept, and the next stat shows the change.
        /// </summary>
        public void TryHoldContents(DateTime now)
        {
            if (!IsSettled(Status, now))
            {
                return;
            }

            int size = (int)Status.Size;
            if (Volatile.Read(ref s_heldBytes) + size > MaxHeldBytes)
            {
                return; // full: served by pread; tried again once other entries let go of theirs
            }

            if (Interlocked.Add(ref s_heldBytes, size) > MaxHeldBytes)
            {
                Interlocked.Add(ref s_heldBytes, -size);
                return;
            }

            byte[] bytes = GC.AllocateUninitializedArray<byte>(size);
            int total = 0;
            try
            {
                while (total < size)
                {
                    int read = RandomAccess.Read(Handle, bytes.AsSpan(total), total);
                    if (read <= 0)
                    {
                        break;
                    }

                    total += read;
                }
            }
            catch (IOException)
            {
                total = -1;
            }

            if (total != size)
            {
                Interlocked.Add(ref s_heldBytes, -size);
                WantsContents = false;
                return;
            }

            if (Interlocked.CompareExchange(ref _contents, bytes, null) is not null)
            {
                Interlocked.Add(ref s_heldBytes, -size); // another request read them first
            }

            WantsContents = false;
        }

        /// <summary>Asked for since the last sweep (a benign race: a lost update costs one eviction).</summary>
        public bool Used { get; set; } = true;

        public void AddRef() => Interlocked.Increment(ref _references);

        /// <summary>Takes a reference unless the entry is already released for good.</summary>
        public bool TryAddRef()
        {
            int seen = Volatile.Read(ref _references);
            while (seen > 0)
            {
                int was = Interlocked.CompareExchange(ref _references, seen + 1, seen);
                if (was == seen)
                {
                    return true;
                }

                seen = was;
            }

            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                Handle.Dispose();
                // No request can read them any more: their room goes back to the budget. (The bytes
                // are only ever set by a holder of a reference, so none come after this.)
                if (Volatile.Read(ref _contents) is { } held)
                {
                    Interlocked.Add(ref s_heldBytes, -held.Length);
                }
            }
        }
    }

    /// <summary>A request's use of an open file; disposing it gives the reference back.</summary>
    public readonly struct OpenFile : IDisposable
    {
        private readonly Entry _entry;

        internal OpenFile(Entry entry) => _entry = entry;

        public SafeFileHandle Handle => _entry.Handle;

        /// <summary>
        /// The file's bytes (exactly its stat's size) when the cache holds them, else null: then
        /// read <see cref="Handle"/>. Never to be written to.
        /// </summary>
        public byte[]? Contents => _entry.Contents;

        public void Dispose() => _entry?.Release();
    }
}
