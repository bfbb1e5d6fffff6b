using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Pluma.Connections.Diagnostics;

/// <summary>
/// A log file every process and thread of the server appends to: opened with O_APPEND (the
/// kernel moves to the end of the file and writes in one step, so writers never overwrite each
/// other) and written one whole line per write(2), without buffering in user space (a buffer
/// would split or reorder lines). .NET's FileMode.Append does not set O_APPEND: it writes at the
/// stream's own offset, and each child opens the log itself, so lines of one child overwrote
/// another's. Apache opens its logs with APR_APPEND, which is O_APPEND (apr's file_io/unix/open.c).
/// </summary>
public sealed partial class AppendOnlyFile : IDisposable
{
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;
    private const int EINTR = 4;

    private readonly bool _ownsDescriptor;
    private int _fd;

    private AppendOnlyFile(int fd, bool ownsDescriptor)
    {
        _fd = fd;
        _ownsDescriptor = ownsDescriptor;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it with <paramref name="mode"/>
    /// (less the umask). Throws IOException whose message is Apache's "(errno)reason" prefix.
    /// </summary>
    public static AppendOnlyFile Open(string path, int mode)
    {
        int fd = NativeOpen(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException("(" + errno + ")" + Marshal.GetPInvokeErrorMessage(errno), errno);
        }

        return new AppendOnlyFile(fd, ownsDescriptor: true);
    }

    /// <summary>The process's stderr (fd 2), which is not closed on dispose.</summary>
    public static AppendOnlyFile StandardError() => new(2, ownsDescriptor: false);

    /// <summary>
    /// Writes <paramref name="line"/> with one write(2); only a short write (a full disk, a
    /// signal) makes a second call for the rest. False when the line could not be written.
    /// </summary>
    public unsafe bool Write(ReadOnlySpan<byte> line)
    {
        int fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return false;
        }

        fixed (byte* p = line)
        {
            int done = 0;
            while (done < line.Length)
            {
                nint n = NativeWrite(fd, p + done, (nuint)(line.Length - done));
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                if (n == 0)
                {
                    return false;
                }

                done += (int)n;
            }
        }

        return true;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0 && _ownsDescriptor)
        {
            _ = NativeClose(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeOpen(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint NativeWrite(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int NativeClose(int fd);
}
