using System.Runtime.InteropServices;

namespace Pluma.Modules.Core;

/// <summary>
/// User and Group names to ids, as httpd's ap_uname2id/ap_gname2id (server/util.c) do while the
/// directives are read: <c>#N</c> is a number read with C's atoi, anything else a name looked up
/// in the passwd or group database.
/// </summary>
public static partial class UnixIdentity
{
    /// <summary>The id of User <paramref name="name"/>, or null when no such user exists.</summary>
    public static uint? UserId(string name)
    {
        if (name.StartsWith('#'))
        {
            return Atoi(name.AsSpan(1));
        }

        nint pw = getpwnam(name);
        // struct passwd: char* pw_name; char* pw_passwd; uid_t pw_uid; ...
        return pw == 0 ? null : (uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size);
    }

    /// <summary>The id of Group <paramref name="name"/>, or null when no such group exists.</summary>
    public static uint? GroupId(string name)
    {
        if (name.StartsWith('#'))
        {
            return Atoi(name.AsSpan(1));
        }

        nint gr = getgrnam(name);
        // struct group: char* gr_name; char* gr_passwd; gid_t gr_gid; ...
        return gr == 0 ? null : (uint)Marshal.ReadInt32(gr, 2 * IntPtr.Size);
    }

    /// <summary>
    /// glibc's atoi, then the cast to uid_t/gid_t: leading blanks, an optional sign, digits up to
    /// the first other character ("#12abc" is 12, "#abc" is 0, "#-1" is 4294967295); strtol
    /// saturates a long and atoi keeps its low 32 bits.
    /// </summary>
    internal static uint Atoi(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            i++;
        }

        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        ulong magnitude = 0;
        bool saturated = false;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            magnitude = (magnitude * 10) + (ulong)(text[i] - '0');
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                saturated = true;
                magnitude = (ulong)long.MaxValue + 1;
            }
        }

        long value = negative
            ? (magnitude > (ulong)long.MaxValue ? long.MinValue : -(long)magnitude)
            : (saturated || magnitude > long.MaxValue ? long.MaxValue : (long)magnitude);
        return unchecked((uint)(int)value);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint getpwnam(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint getgrnam(string name);
}
