using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Pluma.Host;

/// <summary>How to start this same program again (children, the detached daemon).</summary>
internal static partial class SelfProcess
{
    /// <summary>The executable and the leading arguments that re-run this program.</summary>
    public static (string FileName, IReadOnlyList<string> Prefix) Command()
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        // Under `dotnet pluma.dll` the process is the dotnet host: pass the assembly again.
        if (System.IO.Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            string dll = System.IO.Path.Combine(AppContext.BaseDirectory, "pluma.dll");
            return (exe, [dll]);
        }

        return (exe, []);
    }

    /// <summary>
    /// This process's arguments as it was started, argv[0] included, joined by spaces
    /// (main.c ap_log_command_line): read from /proc/self/cmdline, which keeps argv[0] as the
    /// caller wrote it.
    /// </summary>
    public static string CommandLine()
    {
        try
        {
            string raw = System.IO.File.ReadAllText("/proc/self/cmdline");
            return string.Join(' ', raw.TrimEnd('\0').Split('\0'));
        }
        catch (System.IO.IOException)
        {
            return string.Join(' ', Environment.GetCommandLineArgs());
        }
    }

    /// <summary>
    /// Points stdin and stdout at /dev/null and stderr at the main error log, as Apache's daemon
    /// does once it is up: whatever a child writes to stderr then lands in the error log.
    /// </summary>
    public static void DetachStandardStreams(string errorLog)
    {
        int devNull = open("/dev/null", 2 /* O_RDWR */, 0);
        int log = open(errorLog, 0x1 | 0x40 | 0x400 /* O_WRONLY | O_CREAT | O_APPEND */, 0x1A0 /* 0640 */);
        // Best effort: a descriptor that cannot be redirected stays as it was.
        if (devNull >= 0)
        {
            _ = dup2(devNull, 0);
            _ = dup2(devNull, 1);
            _ = dup2(log >= 0 ? log : devNull, 2);
        }

        foreach (int fd in new[] { devNull, log })
        {
            if (fd > 2)
            {
                _ = close(fd);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc")]
    private static partial int dup2(int oldfd, int newfd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
