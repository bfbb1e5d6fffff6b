using System.Runtime.InteropServices;
using System.Threading;

namespace Pluma.Modules.LogConfig;

/// <summary>
/// An access log opened with O_APPEND: every line goes out in one write(2), so lines written by
/// several processes and threads never interleave (the kernel serialises appends).
/// </summary>
public sealed partial class LogFile : IDisposable
{
    private const int O_WRONLY = 1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;
    private const int EINTR = 4;

    private int _fd;

    private LogFile(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    public string Path { get; }

    /// <summary>Opens (creating with mode 0644) <paramref name="path"/> for appending; throws IOException with Apache's AH00649 text.</summary>
    public static LogFile Open(string path)
    {
        int fd = NativeOpen(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1A4);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new System.IO.IOException("AH00649: could not open transfer log file " + path + ". (errno " + errno + ")");
        }

        return new LogFile(path, fd);
    }

    /// <summary>Writes <paramref name="line"/> with one write(2) (repeated only on a short write).</summary>
    public unsafe void Write(ReadOnlySpan<byte> line)
    {
        int fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return;
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

                    return;
                }

                done += (int)n;
            }
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
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
