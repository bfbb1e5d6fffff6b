using System.Runtime.InteropServices;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// An epoll(7) set for the event MPM's listener thread: listening sockets, parked keep-alive
/// and lingering connections, and a wake-up eventfd. Parking a connection here holds no
/// thread and leaves the socket blocking for the worker that later serves it (the runtime's
/// own epoll engine would switch it to non-blocking mode for good).
/// epoll_ctl is thread-safe, so workers add their connections themselves. A connection is
/// added once, edge-triggered, and stays until it is closed (see EventChild.Ownership).
/// </summary>
public sealed unsafe class EpollSet : IDisposable
{
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLEXCLUSIVE = 1u << 28;
    public const uint EPOLLONESHOT = 1u << 30;
    public const uint EPOLLET = 1u << 31;

    /// <summary>The data value that <see cref="Wake"/> produces.</summary>
    public const ulong WakeKey = ulong.MaxValue;

    private const int EPOLL_CTL_ADD = 1;
    private const int EPOLL_CTL_DEL = 2;
    private const int EPOLL_CTL_MOD = 3;

    // struct epoll_event is packed (12 bytes) on x86_64 and naturally aligned (16) elsewhere.
    private static readonly int s_stride = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = s_stride == 12 ? 4 : 8;

    private readonly int _epfd;
    private readonly int _eventFd;
    private readonly byte[] _events;
    private readonly int _capacity;
    private int _count;

    public EpollSet(int capacity = 256)
    {
        _epfd = Libc.epoll_create1(Libc.O_CLOEXEC);
        if (_epfd < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Libc.Errno}");
        }

        _eventFd = Libc.eventfd(0, Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        _capacity = capacity;
        _events = new byte[capacity * s_stride];
        Control(EPOLL_CTL_ADD, _eventFd, EPOLLIN, WakeKey);
    }

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/>, reporting <paramref name="key"/>.</summary>
    public bool Add(int fd, uint events, ulong key) => Control(EPOLL_CTL_ADD, fd, events, key);

    /// <summary>Changes the events of a watched descriptor (the kernel then reports what is ready already).</summary>
    public bool Modify(int fd, uint events, ulong key) => Control(EPOLL_CTL_MOD, fd, events, key);

    /// <summary>Stops watching <paramref name="fd"/> (call before closing it).</summary>
    public bool Remove(int fd) => Control(EPOLL_CTL_DEL, fd, 0, 0);

    /// <summary>Interrupts a <see cref="Wait"/> in progress (from any thread).</summary>
    public void Wake()
    {
        ulong one = 1;
        _ = Libc.write(_eventFd, (byte*)&one, 8);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/>; returns how many events <see cref="Key"/>/<see cref="Events"/> can read.</summary>
    public int Wait(int timeoutMs)
    {
        fixed (byte* p = _events)
        {
            int n = Libc.epoll_wait(_epfd, p, _capacity, timeoutMs);
            _count = n < 0 ? 0 : n;
        }

        return _count;
    }

    /// <summary>The key of event <paramref name="index"/> of the last wait; wake-ups are drained here.</summary>
    public ulong Key(int index)
    {
        ulong key = BitConverter.ToUInt64(_events, (index * s_stride) + s_dataOffset);
        if (key == WakeKey)
        {
            ulong value;
            _ = Libc.read(_eventFd, (byte*)&value, 8);
        }

        return key;
    }

    /// <summary>The event bits of event <paramref name="index"/>.</summary>
    public uint Events(int index) => BitConverter.ToUInt32(_events, index * s_stride);

    public void Dispose()
    {
        _ = Libc.close(_eventFd);
        _ = Libc.close(_epfd);
    }

    private bool Control(int op, int fd, uint events, ulong key)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + s_dataOffset) = key;

        return Libc.epoll_ctl(_epfd, op, fd, ev) == 0;
    }
}
