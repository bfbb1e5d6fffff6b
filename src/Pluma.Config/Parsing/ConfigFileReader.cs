using System.IO;
using System.Runtime.InteropServices;

namespace Pluma.Config.Parsing;

/// <summary>
/// Reads a configuration file whole, refusing what httpd's ap_pcfg_openfile (server/util.c)
/// refuses: anything but a regular file, /dev/null excepted (AH00554). A device such as
/// /dev/zero would otherwise be read without end. httpd opens before it looks, so a FIFO hangs
/// it; Pluma looks first. Pluma also bounds the size, as it reads a file at once where httpd
/// reads line by line.
/// </summary>
internal static partial class ConfigFileReader
{
    /// <summary>The largest configuration file Pluma reads (Debian's whole tree is under 100 KiB).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private const int S_IFMT = 0xF000, S_IFREG = 0x8000;

    /// <summary>
    /// The text of <paramref name="path"/>, or null with the reason to give after "Could not open
    /// configuration file PATH: " and the line httpd logs before it (null if none).
    /// </summary>
    public static string? TryRead(string path, out string reason, out string? loggedBefore)
    {
        reason = "";
        loggedBefore = null;
        if (path != "/dev/null" && Stat(path) is (int mode, long size))
        {
            if ((mode & S_IFMT) != S_IFREG)
            {
                loggedBefore = "AH00554: Access to file " + path + " denied by server: not a regular file";
                reason = "Bad file descriptor";
                return null;
            }

            if (size > MaxBytes)
            {
                loggedBefore = "PL00020: Access to file " + path + " denied: larger than the " + (MaxBytes >> 20) + " MiB Pluma reads for a configuration file";
                reason = "File too large";
                return null;
            }
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = IncludeExpander.Describe(e);
            return null;
        }
    }

    // stat(2) following links, as httpd's apr_file_info_get on the opened file; null when it
    // fails (File.ReadAllText then reports why).
    private static unsafe (int Mode, long Size)? Stat(string path)
    {
        // struct stat (glibc): st_mode at 24 on x86-64 (st_nlink is 8 bytes there), 16 on the
        // generic layout of arm64; st_size at 48 on both.
        int modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        byte* buf = stackalloc byte[256];
        if (stat(path, buf) != 0)
        {
            return null;
        }

        return (*(int*)(buf + modeOffset), *(long*)(buf + 48));
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buf);
}
