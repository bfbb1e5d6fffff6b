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
/// </list>
/// Reads use pread(2), so threads share a descriptor safely.
/// </summary>
public static partial class OpenFileCache
{
    private const int MaxCapacity = 1024;
    private const int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    private const int EINTR = 4, ENOENT = 2, EACCES = 13, EPERM = 1, ENOTDIR = 20, ENFILE = 23, EMFILE = 24;

    private static readonly ConcurrentDictionary<string, Entry> s_entries = new(StringComparer.Ordinal);
    private static readonly Lock s_evictGate = new();
    private static int s_count;

    /// <summary>How many files the cache keeps open at most in this process.</summary>
    public static int Capacity { get; } = CapacityFor(DescriptorLimit());

    /// <summary>A quarter of the descriptor limit, at most <see cref="MaxCapacity"/>.</summary>
    internal static int CapacityFor(long descriptorLimit) => (int)Math.Clamp(descriptorLimit / 4, 0, MaxCapacity);

    /// <summary>
    /// An open file for <paramref name="path"/> as <paramref name="st"/> describes it, held for
    /// the caller until it disposes the returned <see cref="OpenFile"/>. Throws
    /// UnauthorizedAccessException (EACCES), FileNotFoundException, or IOException.
    /// </summary>
    public static OpenFile Open(string path, in FileStatus st)
    {
        while (s_entries.TryGetValue(path, out Entry? e))
        {
            if (e.Status.IsSameFileAs(st))
            {
                if (e.TryAddRef())
                {
                    e.Used = true;
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

    /// <summary>One open file and its users: the cache (while it keeps the entry) and each request serving it.</summary>
    internal sealed class Entry(SafeFileHandle handle, FileStatus status)
    {
        // One reference for the request that opened it; the cache adds its own when it keeps the entry.
        private int _references = 1;

        public SafeFileHandle Handle { get; } = handle;

        public FileStatus Status { get; } = status;

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
            }
        }
    }

    /// <summary>A request's use of an open file; disposing it gives the reference back.</summary>
    public readonly struct OpenFile : IDisposable
    {
        private readonly Entry _entry;

        internal OpenFile(Entry entry) => _entry = entry;

        public SafeFileHandle Handle => _entry.Handle;

        public void Dispose() => _entry?.Release();
    }
}
