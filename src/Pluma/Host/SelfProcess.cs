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

    /// <summary>Points stdin, stdout and stderr at /dev/null, as a daemon does once it is up.</summary>
    public static void DetachStandardStreams()
    {
        int fd = open("/dev/null", 2 /* O_RDWR */);
        if (fd < 0)
        {
            return;
        }

        // Best effort: a descriptor that cannot be redirected stays as it was.
        _ = dup2(fd, 0);
        _ = dup2(fd, 1);
        _ = dup2(fd, 2);
        if (fd > 2)
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc")]
    private static partial int dup2(int oldfd, int newfd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
