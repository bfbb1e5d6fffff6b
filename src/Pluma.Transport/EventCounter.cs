using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// An eventfd(2) counter to put in an <see cref="EpollSet"/>: readable while its count is above
/// zero. In semaphore mode every <see cref="TryTake"/> takes one unit, so N signals let exactly N
/// waiters through (a doorbell for N queued items); otherwise it stays readable once signalled
/// until <see cref="TryTake"/> drains it (a latch).
/// </summary>
public sealed unsafe class EventCounter : IDisposable
{
    private const int EFD_SEMAPHORE = 1;

    public EventCounter(bool semaphore)
    {
        Fd = Libc.eventfd(0, Libc.O_CLOEXEC | Libc.O_NONBLOCK | (semaphore ? EFD_SEMAPHORE : 0));
        if (Fd < 0)
        {
            throw new InvalidOperationException($"eventfd failed: errno {Libc.Errno}");
        }
    }

    public int Fd { get; }

    /// <summary>Adds one to the count (wakes one waiter of an epoll set that watches it).</summary>
    public void Signal()
    {
        ulong one = 1;
        _ = Libc.write(Fd, (byte*)&one, 8);
    }

    /// <summary>Takes one unit (semaphore) or everything (latch); false when the count was zero.</summary>
    public bool TryTake()
    {
        ulong value;
        return Libc.read(Fd, (byte*)&value, 8) == 8;
    }

    public void Dispose() => Libc.close(Fd);
}
