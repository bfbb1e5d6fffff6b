using System.Globalization;
using System.Runtime.InteropServices;

namespace Pluma.Host;

/// <summary>The few libc calls the host needs: privilege drop, setsid, kill, the memory files handed to the children (configuration snapshot, mime.types table).</summary>
internal static partial class Native
{
    public static bool IsRoot => geteuid() == 0;

    /// <summary>
    /// Drops to User/Group as mod_unixd's unixd_drop_privileges does (group, supplementary groups,
    /// then user), when running as root; returns null, or Apache's alert line for the step that
    /// failed. The caller must not serve after a failure: httpd's hook returns -1 for the first
    /// three steps, which its hook runner reads as DECLINED, so Apache's children go on as root
    /// (observed with User #-1); Pluma's fail closed instead.
    /// </summary>
    public static string? DropPrivileges(string user, uint uid, uint gid)
    {
        if (!IsRoot)
        {
            return null;
        }

        // The name for initgroups: User as written, or the passwd entry of "#uid".
        string? name = user;
        if (user.StartsWith('#'))
        {
            name = UserName(uid);
            if (name is null)
            {
                return WithErrno(Marshal.GetLastPInvokeError(), "AH02155: getpwuid: couldn't determine user name from uid " + uid + ", you probably need to modify the User directive");
            }
        }

        // setgid before initgroups: on some platforms setgid zaps the group list (mod_unixd.c).
        if (setgid(gid) != 0)
        {
            return WithErrno(Marshal.GetLastPInvokeError(), "AH02156: setgid: unable to set group id to Group " + gid);
        }

        if (initgroups(name, gid) != 0)
        {
            return WithErrno(Marshal.GetLastPInvokeError(), "AH02157: initgroups: unable to set groups for User " + name + " and Group " + gid);
        }

        if (setuid(uid) != 0)
        {
            return WithErrno(Marshal.GetLastPInvokeError(), "AH02162: setuid: unable to change to uid: " + uid);
        }

        return null;
    }

    // ap_log_error's "(errno)text: " prefix when the call set errno (getpwuid of a missing uid does not).
    private static string WithErrno(int errno, string message) =>
        errno == 0 ? message : "(" + errno.ToString(CultureInfo.InvariantCulture) + ")" + Marshal.GetPInvokeErrorMessage(errno) + ": " + message;

    private static string? UserName(uint uid)
    {
        Marshal.SetLastPInvokeError(0);
        nint pw = getpwuid(uid);
        // struct passwd: char* pw_name; ...
        return pw == 0 ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(pw));
    }

    public static int NewSession() => setsid();

    /// <summary>memfd_create(2) without MFD_CLOEXEC (children inherit the descriptor); -1 on failure.</summary>
    public static int MemfdCreate(string name) => memfd_create(name, 0);

    public static int Close(int fd) => close(fd);

    /// <summary>The size of the file open as <paramref name="fd"/> (its end, from lseek(2)); -1 on failure.</summary>
    public static long SizeOf(int fd) => lseek(fd, 0, 2 /* SEEK_END */);

    /// <summary>
    /// mmap(2) of the first <paramref name="length"/> bytes of <paramref name="fd"/>, read-only
    /// and shared (the pages stay the file's, one copy for every process that maps them); null on failure.
    /// </summary>
    public static unsafe byte* MapReadOnlyShared(int fd, int length)
    {
        const int ProtRead = 1, MapShared = 1;
        nint p = mmap(0, (nuint)length, ProtRead, MapShared, fd, 0);
        return p == -1 ? null : (byte*)p;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint getpwuid(uint uid);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int initgroups(string user, uint group);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setuid(uint uid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);
}
