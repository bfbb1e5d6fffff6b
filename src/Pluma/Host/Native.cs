using System.Runtime.InteropServices;

namespace Pluma.Host;

/// <summary>The few libc calls the host needs: user and group lookup, privilege drop, setsid.</summary>
internal static partial class Native
{
    public static uint? UserId(string name)
    {
        nint pw = getpwnam(name);
        // struct passwd: char* pw_name; char* pw_passwd; uid_t pw_uid; ...
        return pw == 0 ? null : (uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size);
    }

    public static uint? GroupId(string name)
    {
        nint gr = getgrnam(name);
        // struct group: char* gr_name; char* gr_passwd; gid_t gr_gid; ...
        return gr == 0 ? null : (uint)Marshal.ReadInt32(gr, 2 * IntPtr.Size);
    }

    public static bool IsRoot => geteuid() == 0;

    /// <summary>Drops to User/Group as Apache's unixd_setup_child does (group first).</summary>
    public static string? DropPrivileges(string? user, string? group)
    {
        if (!IsRoot)
        {
            return null;
        }

        uint? gid = group is null ? null : group.StartsWith('#') ? uint.Parse(group[1..], System.Globalization.CultureInfo.InvariantCulture) : GroupId(group);
        uint? uid = user is null ? null : user.StartsWith('#') ? uint.Parse(user[1..], System.Globalization.CultureInfo.InvariantCulture) : UserId(user);
        if (gid is uint g)
        {
            if (setgroups(0, 0) != 0 || setgid(g) != 0)
            {
                return "AH02155: getpwuid: invalid userid " + group;
            }
        }

        if (uid is uint u && setuid(u) != 0)
        {
            return "AH02162: setuid: unable to change to uid: " + u;
        }

        return null;
    }

    public static int NewSession() => setsid();

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint getpwnam(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint getgrnam(string name);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setuid(uint uid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgroups(nuint size, nint list);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);
}
