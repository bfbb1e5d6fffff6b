using System.Runtime.InteropServices;

namespace Pluma.Transport.Native;

/// <summary>
/// The few libc calls the transport needs, as source-generated P/Invokes (AOT-safe, no
/// marshalling allocations). Linux x86_64/arm64 only, like the rest of Pluma.
/// </summary>
internal static unsafe partial class Libc
{
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EPIPE = 32;
    public const int EINVAL = 22;
    public const int ENOTCONN = 107;
    public const int ECONNRESET = 104;
    public const int ETIMEDOUT = 110;
    public const int ECONNABORTED = 103;

    public const int F_GETFD = 1;
    public const int F_SETFD = 2;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int FD_CLOEXEC = 1;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOCK_NONBLOCK = 0x800;

    public const int SOL_SOCKET = 1;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDTIMEO = 21;
    public const int IPPROTO_TCP = 6;
    public const int TCP_NODELAY = 1;
    public const int TCP_CORK = 3;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_PEEK = 0x2;
    public const int SHUT_WR = 1;

    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long Sec;
        public long Usec;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendfile(int outFd, int inFd, long* offset, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint pread(int fd, byte* buf, nint count, long offset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, int len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, void* value, int* len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int accept4(int fd, byte* addr, int* len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getpeername(int fd, byte* addr, int* len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getsockname(int fd, byte* addr, int* len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int max, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int gettid();

    [LibraryImport("libc")]
    public static partial long sysconf(int name);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>Clears or sets FD_CLOEXEC (inheritance across exec).</summary>
    public static void SetInheritable(int fd, bool inheritable)
    {
        int flags = fcntl(fd, F_GETFD, 0);
        if (flags < 0)
        {
            throw new InvalidOperationException($"fcntl({fd}, F_GETFD) failed: errno {Errno}");
        }

        int wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
        if (wanted != flags && fcntl(fd, F_SETFD, wanted) < 0)
        {
            throw new InvalidOperationException($"fcntl({fd}, F_SETFD) failed: errno {Errno}");
        }
    }

    /// <summary>Sets or clears O_NONBLOCK on the open file description.</summary>
    public static void SetNonBlocking(int fd, bool nonBlocking)
    {
        int flags = fcntl(fd, F_GETFL, 0);
        if (flags < 0)
        {
            throw new InvalidOperationException($"fcntl({fd}, F_GETFL) failed: errno {Errno}");
        }

        int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        if (wanted != flags && fcntl(fd, F_SETFL, wanted) < 0)
        {
            throw new InvalidOperationException($"fcntl({fd}, F_SETFL) failed: errno {Errno}");
        }
    }
}
