using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// poll(2) over a small fixed set of descriptors (a child's listeners and its pipe of death).
/// Built once, waited on in a loop without allocating.
/// </summary>
public sealed unsafe class FdPoll
{
    private readonly Libc.PollFd[] _fds;

    public FdPoll(ReadOnlySpan<int> fds)
    {
        _fds = new Libc.PollFd[fds.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            _fds[i] = new Libc.PollFd { Fd = fds[i], Events = Libc.POLLIN };
        }
    }

    public int Count => _fds.Length;

    /// <summary>Waits up to <paramref name="timeoutMs"/>; the number of ready descriptors (0 on timeout or signal).</summary>
    public int Wait(int timeoutMs)
    {
        fixed (Libc.PollFd* p = _fds)
        {
            int r = Libc.poll(p, (nuint)_fds.Length, timeoutMs);
            return r < 0 ? 0 : r;
        }
    }

    /// <summary>Whether descriptor <paramref name="index"/> was readable (or hung up) in the last wait.</summary>
    public bool IsReady(int index) => (_fds[index].REvents & (Libc.POLLIN | Libc.POLLHUP | Libc.POLLERR)) != 0;

    /// <summary>Stops watching descriptor <paramref name="index"/> (poll ignores negative fds).</summary>
    public void Disable(int index) => _fds[index].Fd = -1;
}
