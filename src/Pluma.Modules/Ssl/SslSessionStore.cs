using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Threading;

namespace Pluma.Modules.Ssl;

/// <summary>
/// The <c>SSLSessionCache shmcb:PATH(SIZE)</c> store shared by every child of one parent, as
/// mod_socache_shmcb's is: a file of SIZE bytes at PATH mapped shared into each child, holding
/// sessions in their DER form (i2d_SSL_SESSION, as ssl_callback_NewSessionCacheEntry stores
/// them) in slots of 1 KiB, four to a bucket chosen by the session id, each with the time it
/// expires. A child's next connection from the same client may reach another child (or another
/// process of prefork) and still resume. One lock word guards the slots; a process that cannot
/// take it within a short spin treats the call as a miss rather than wait (a session cache may
/// always miss). The file is made by the child while it is still root (mode 0600) and reset
/// when it was left by another parent, so sessions do not outlive the server, as Apache
/// re-creates its cache at start.
/// </summary>
internal sealed unsafe partial class SslSessionStore : IDisposable
{
    /// <summary>Bytes per slot: mod_ssl's cache is sized in store bytes at about 1 KiB a session.</summary>
    public const int SlotSize = 1024;

    // Slot: expiry (unix seconds, 0 = free), key length, DER length, key (tag + session id), DER.
    private const int SlotHeader = 8 + 4 + 4;
    private const int KeyMax = 4 + 32;
    public const int DerMax = SlotSize - SlotHeader - KeyMax;

    private const int Ways = 4;
    private const int HeaderSize = 64;
    private const int Magic = 0x504c5353; // "PLSS"
    private const int SpinLimit = 4000;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly int _buckets;

    private SslSessionStore(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* mapped, int buckets, long bytes)
    {
        Bytes = bytes;
        _file = file;
        _view = view;
        _base = mapped;
        _buckets = buckets;
    }

    /// <summary>The size of the mapped file: SSLSessionCache's, or what one bucket needs if that is less.</summary>
    public long Bytes { get; }

    /// <summary>Sessions the store holds at most.</summary>
    public int Capacity => _buckets * Ways;

    /// <summary>
    /// The store named by SSLSessionCache's value (<c>shmcb:/path(bytes)</c>; an absolute path,
    /// 512000 bytes when no size is given), or null for any other kind of cache or when the file
    /// cannot be made or mapped (the caller keeps each child's own cache).
    /// </summary>
    public static SslSessionStore? Open(string? sessionCache)
    {
        if (sessionCache is null || !sessionCache.StartsWith("shmcb:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string spec = sessionCache["shmcb:".Length..];
        long bytes = 512000;
        if (spec.EndsWith(')') && spec.LastIndexOf('(') is int open and > 0)
        {
            if (!long.TryParse(spec.AsSpan(open + 1, spec.Length - open - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bytes))
            {
                return null;
            }

            spec = spec[..open];
        }

        int buckets = (int)Math.Clamp((bytes - HeaderSize) / (SlotSize * Ways), 1, 1 << 20);
        if (!Path.IsPathRooted(spec) || OperatingSystem.IsWindows())
        {
            return null;
        }

        long size = Math.Max(bytes, HeaderSize + ((long)buckets * Ways * SlotSize));
        MemoryMappedFile? file = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            var stream = new FileStream(spec, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.ReadWrite,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            if (stream.Length != size)
            {
                stream.SetLength(size);
            }

            file = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            view = file.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            var store = new SslSessionStore(file, view, p + view.PointerOffset, buckets, size);
            store.Claim();
            return store;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            view?.Dispose();
            file?.Dispose();
            return null;
        }
    }

    /// <summary>Keeps <paramref name="der"/> under <paramref name="key"/> until <paramref name="expires"/> (unix seconds).</summary>
    public void Store(ReadOnlySpan<byte> key, ReadOnlySpan<byte> der, long expires)
    {
        if (key.Length > KeyMax || der.Length > DerMax || !Lock())
        {
            return;
        }

        try
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            byte* bucket = Bucket(key);
            byte* target = null;
            long oldest = long.MaxValue;
            for (int i = 0; i < Ways; i++)
            {
                byte* slot = bucket + (i * SlotSize);
                long e = *(long*)slot;
                if (e != 0 && e > now && Matches(slot, key))
                {
                    target = slot;
                    break;
                }

                long rank = e <= now ? 0 : e;
                if (rank < oldest)
                {
                    oldest = rank;
                    target = slot;
                }
            }

            *(int*)(target + 8) = key.Length;
            *(int*)(target + 12) = der.Length;
            key.CopyTo(new Span<byte>(target + SlotHeader, KeyMax));
            der.CopyTo(new Span<byte>(target + SlotHeader + KeyMax, DerMax));
            *(long*)target = expires;
        }
        finally
        {
            Unlock();
        }
    }

    /// <summary>Copies the DER of the live session under <paramref name="key"/> into <paramref name="der"/>; its length, or 0 when there is none.</summary>
    public int Fetch(ReadOnlySpan<byte> key, Span<byte> der)
    {
        if (key.Length > KeyMax || !Lock())
        {
            return 0;
        }

        try
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            byte* bucket = Bucket(key);
            for (int i = 0; i < Ways; i++)
            {
                byte* slot = bucket + (i * SlotSize);
                long e = *(long*)slot;
                if (e != 0 && Matches(slot, key))
                {
                    if (e <= now)
                    {
                        *(long*)slot = 0;
                        return 0;
                    }

                    int n = *(int*)(slot + 12);
                    if (n <= 0 || n > der.Length || n > DerMax)
                    {
                        return 0;
                    }

                    new ReadOnlySpan<byte>(slot + SlotHeader + KeyMax, n).CopyTo(der);
                    return n;
                }
            }

            return 0;
        }
        finally
        {
            Unlock();
        }
    }

    /// <summary>Forgets the session under <paramref name="key"/> (ssl_callback_DelSessionCacheEntry).</summary>
    public void Remove(ReadOnlySpan<byte> key)
    {
        if (key.Length > KeyMax || !Lock())
        {
            return;
        }

        try
        {
            byte* bucket = Bucket(key);
            for (int i = 0; i < Ways; i++)
            {
                byte* slot = bucket + (i * SlotSize);
                if (*(long*)slot != 0 && Matches(slot, key))
                {
                    *(long*)slot = 0;
                }
            }
        }
        finally
        {
            Unlock();
        }
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    /// <summary>The store belongs to this child's parent: a file left by another server (or another layout) is cleared first.</summary>
    private void Claim()
    {
        int parent = getppid();
        if (*(int*)(_base + 4) == Magic && *(int*)(_base + 8) == parent && *(int*)(_base + 12) == _buckets)
        {
            return;
        }

        // The first child of this parent to get here clears it; the others find it claimed.
        if (!Lock())
        {
            return;
        }

        try
        {
            if (*(int*)(_base + 4) != Magic || *(int*)(_base + 8) != parent || *(int*)(_base + 12) != _buckets)
            {
                new Span<byte>(_base + HeaderSize, _buckets * Ways * SlotSize).Clear();
                *(int*)(_base + 8) = parent;
                *(int*)(_base + 12) = _buckets;
                Volatile.Write(ref *(int*)(_base + 4), Magic);
            }
        }
        finally
        {
            Unlock();
        }
    }

    private byte* Bucket(ReadOnlySpan<byte> key)
    {
        // FNV-1a: the same bucket in every process (string hashes are randomised per process).
        uint h = 2166136261;
        foreach (byte b in key)
        {
            h = (h ^ b) * 16777619;
        }

        return _base + HeaderSize + ((long)(h % (uint)_buckets) * Ways * SlotSize);
    }

    private static bool Matches(byte* slot, ReadOnlySpan<byte> key) =>
        *(int*)(slot + 8) == key.Length && new ReadOnlySpan<byte>(slot + SlotHeader, key.Length).SequenceEqual(key);

    /// <summary>Takes the lock word (the holder's pid); a holder that died holding it is replaced.</summary>
    private bool Lock()
    {
        ref int word = ref *(int*)_base;
        int self = Environment.ProcessId;
        for (int i = 0; i < SpinLimit; i++)
        {
            int holder = Interlocked.CompareExchange(ref word, self, 0);
            if (holder == 0)
            {
                return true;
            }

            if (i == SpinLimit - 1 && holder != self && !Directory.Exists("/proc/" + holder.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                return Interlocked.CompareExchange(ref word, self, holder) == holder;
            }

            if ((i & 63) == 63)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(8);
            }
        }

        return false;
    }

    private void Unlock() => Volatile.Write(ref *(int*)_base, 0);

    [LibraryImport("libc")]
    private static partial int getppid();
}
