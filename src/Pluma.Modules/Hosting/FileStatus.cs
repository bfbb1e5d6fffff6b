using System.Runtime.InteropServices;

namespace Pluma.Modules.Hosting;

/// <summary>
/// What stat(2) said about a request's file (Apache's r->finfo), taken once per request. A value
/// (not an object): every request takes at least one, and a struct costs no allocation. Its fields
/// are laid out by the runtime (LayoutKind.Auto: no padding between the bools and the longs) so
/// that it stays within 64 bytes, which the compiler copies inline; a larger one is copied by a
/// call to memmove, several times a request (FileStatusTests holds the size).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly partial record struct FileStatus(bool Exists, bool IsDirectory, long Size, DateTime LastWriteUtc, long Inode, int OwnerUid, bool IsSymlink)
{
    public static readonly FileStatus Missing = new(false, false, 0, DateTime.MinValue, 0, -1, false);

    // struct stat on x86-64 Linux (glibc), the build's RID: the offsets of the fields used here.
    private const int StatSize = 144;
    private const int DeviceOffset = 0;
    private const int InodeOffset = 8;
    private const int ModeOffset = 24;
    private const int UidOffset = 28;
    private const int GidOffset = 32;
    private const int SizeOffset = 48;
    private const int MtimeSecOffset = 88;
    private const int MtimeNsecOffset = 96;
    private const int CtimeSecOffset = 104;
    private const int CtimeNsecOffset = 112;
    private const int S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFREG = 0x8000;

    /// <summary>stat(2) of <paramref name="path"/> (following symlinks).</summary>
    public static FileStatus Of(string path) => Stat(path, follow: true);

    /// <summary>lstat(2) of <paramref name="path"/> (the link itself).</summary>
    public static FileStatus OfLink(string path) => Stat(path, follow: false);

    private static unsafe FileStatus Stat(string path, bool follow)
    {
        byte* buf = stackalloc byte[StatSize];
        int rc = follow ? stat(path, buf) : lstat(path, buf);
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == 13)
            {
                // EACCES: a component of the path may not be searched; the pipeline answers 403.
                throw new UnauthorizedAccessException(path);
            }

            return Missing;
        }

        return FromStatBuffer(buf);
    }

    /// <summary>
    /// stat(2) or lstat(2) of a NUL-terminated UTF-8 path without making a string of it (the
    /// directory walk probes each component of a path it holds as bytes). Returns 0 or errno.
    /// </summary>
    internal static unsafe int TryStat(byte* path, bool follow, out FileStatus status)
    {
        byte* buf = stackalloc byte[StatSize];
        if ((follow ? stat(path, buf) : lstat(path, buf)) != 0)
        {
            status = Missing;
            return Marshal.GetLastPInvokeError();
        }

        status = FromStatBuffer(buf);
        return 0;
    }

    /// <summary>Whether the mode says a regular file (S_IFREG), as opposed to a directory, device, FIFO or socket.</summary>
    internal bool IsRegular { get; init; }

    private static unsafe FileStatus FromStatBuffer(byte* buf)
    {
        int mode = *(int*)(buf + ModeOffset);
        long sec = *(long*)(buf + MtimeSecOffset);
        long nsec = *(long*)(buf + MtimeNsecOffset);
        var mtime = DateTime.UnixEpoch.AddTicks(sec * TimeSpan.TicksPerSecond + nsec / 100);
        return new FileStatus(true, (mode & S_IFMT) == S_IFDIR, *(long*)(buf + SizeOffset), mtime, *(long*)(buf + InodeOffset), *(int*)(buf + UidOffset), (mode & S_IFMT) == S_IFLNK)
        {
            Mode = mode,
            Device = *(long*)(buf + DeviceOffset),
            OwnerGid = *(int*)(buf + GidOffset),
            ChangeTimeNs = *(long*)(buf + CtimeSecOffset) * 1_000_000_000 + *(long*)(buf + CtimeNsecOffset),
            IsRegular = (mode & S_IFMT) == S_IFREG,
        };
    }

    /// <summary>st_mode: the file type and permission bits.</summary>
    public int Mode { get; init; }

    /// <summary>st_dev: with the inode, names the file.</summary>
    public long Device { get; init; }

    /// <summary>st_gid.</summary>
    public int OwnerGid { get; init; } = -1;

    /// <summary>st_ctime in nanoseconds since the epoch: changes with the contents and with chmod, chown and link counts.</summary>
    public long ChangeTimeNs { get; init; }

    /// <summary>
    /// Whether <paramref name="other"/> (a later stat of the same path) still describes this very
    /// file with these contents and this access: same device and inode, size, modification and
    /// change time, mode and owner. The change time alone moves on chmod/chown; the rest guards against a
    /// coarse clock.
    /// </summary>
    public bool IsSameFileAs(in FileStatus other) =>
        Inode == other.Inode && Device == other.Device && Size == other.Size && LastWriteUtc == other.LastWriteUtc && ChangeTimeNs == other.ChangeTimeNs
        && Mode == other.Mode && OwnerUid == other.OwnerUid && OwnerGid == other.OwnerGid;

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buf);

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int lstat(string path, byte* buf);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static unsafe partial int stat(byte* path, byte* buf);

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true)]
    private static unsafe partial int lstat(byte* path, byte* buf);
}
