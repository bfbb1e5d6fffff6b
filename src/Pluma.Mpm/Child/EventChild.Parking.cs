using System.Collections.Generic;
using System.Threading;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Child;

/// <content>
/// Parked connections: which epoll set watches them, the FIFO timeout queues (one per distinct
/// timeout, so expiry is checked at the heads in O(1)), lingering closes, and their accounting.
/// Every change of a parked connection happens under <see cref="_lock"/>, so a worker taking a
/// readable connection and the listener expiring it never both get it.
/// </content>
internal sealed partial class EventChild
{
    private static readonly long s_shortLingerMs = (long)SocketConnection.LingerTime.TotalMilliseconds;
    private static readonly long s_lingerMs = (long)SocketConnection.MaxLingerTime.TotalMilliseconds;

    private readonly object _lock = new();
    private readonly Dictionary<long, EventConnection> _parked = new();
    private readonly List<TimeoutQueue> _keepAliveQueues = [];
    private readonly List<TimeoutQueue> _writeQueues = [];

    // Apache's linger_q (30 s, after a response that ends the connection) and short_linger_q
    // (2 s, when the child is stopping).
    private readonly TimeoutQueue _lingerQueue = new(s_lingerMs);
    private readonly TimeoutQueue _shortLingerQueue = new(s_shortLingerMs);
    private readonly List<EventConnection> _expired = [];

    private enum ConnState : byte
    {
        Processing,
        WriteCompletion,
        KeepAlive,
        Lingering,
    }

    /// <summary>
    /// The connection waits, holding no thread: keep-alive and write completion in the workers'
    /// set (the first idle worker takes it when it is ready), lingering closes in the listener's.
    /// </summary>
    private void Park(EventConnection e, ConnState state, long timeoutMs)
    {
        e.State = state;
        e.Deadline = Environment.TickCount64 + timeoutMs;
        int fd = e.Conn.Fd;
        long id = e.Conn.Id;
        bool ok;
        lock (_lock)
        {
            TimeoutQueue q = state switch
            {
                ConnState.Lingering => timeoutMs == s_shortLingerMs ? _shortLingerQueue : _lingerQueue,
                ConnState.WriteCompletion => QueueFor(_writeQueues, timeoutMs),
                _ => QueueFor(_keepAliveQueues, timeoutMs),
            };
            q.Append(e);
            _parked[id] = e;

            // Registered under the lock, so nobody can close (and the kernel reuse) the fd in between.
            if (state == ConnState.Lingering)
            {
                if (e.Registered)
                {
                    _workEp.Remove(fd);
                    e.Registered = false;
                }

                ok = _listenEp.Add(fd, EpollSet.EPOLLIN | EpollSet.EPOLLRDHUP | EpollSet.EPOLLONESHOT, (ulong)id);
            }
            else
            {
                uint events = state == ConnState.WriteCompletion
                    ? EpollSet.EPOLLOUT | EpollSet.EPOLLONESHOT
                    : EpollSet.EPOLLIN | EpollSet.EPOLLRDHUP | EpollSet.EPOLLONESHOT;
                ok = e.Registered ? _workEp.Modify(fd, events, (ulong)id) : _workEp.Add(fd, events, (ulong)id);
                e.Registered = true;
            }

            if (!ok)
            {
                _parked.Remove(id);
                q.Remove(e);
            }
        }

        // No wake-up for the listener: it never sleeps longer than MaxPollMs, far below any timeout.
        if (!ok)
        {
            Close(e);
        }
    }

    /// <summary>A worker takes a ready keep-alive or write-completion connection; null if it expired meanwhile.</summary>
    private EventConnection? Unpark(long id)
    {
        lock (_lock)
        {
            if (!_parked.TryGetValue(id, out EventConnection? e) || e.State == ConnState.Lingering)
            {
                return null;
            }

            _parked.Remove(id);
            e.Queue!.Remove(e);
            return e;
        }
    }

    /// <summary>On the listener: the lingering client sent more or closed; drain without blocking.</summary>
    private void OnLingeringReadable(long id)
    {
        EventConnection? e;
        lock (_lock)
        {
            if (!_parked.TryGetValue(id, out e) || e.State != ConnState.Lingering)
            {
                return;
            }
        }

        // Only the listener touches lingering connections, so nobody closes it under us.
        bool finished = e.Conn.DrainAvailable();
        lock (_lock)
        {
            if (!finished)
            {
                _listenEp.Modify(e.Conn.Fd, EpollSet.EPOLLIN | EpollSet.EPOLLRDHUP | EpollSet.EPOLLONESHOT, (ulong)id);
                return;
            }

            _parked.Remove(id);
            e.Queue!.Remove(e);
        }

        Close(e);
    }

    /// <summary>The FIFO for this timeout value (one per distinct KeepAliveTimeout or Timeout, as Apache keeps them).</summary>
    private static TimeoutQueue QueueFor(List<TimeoutQueue> queues, long timeoutMs)
    {
        foreach (TimeoutQueue q in queues)
        {
            if (q.TimeoutMs == timeoutMs)
            {
                return q;
            }
        }

        var added = new TimeoutQueue(timeoutMs);
        queues.Add(added);
        return added;
    }

    private static long EarliestDeadline(List<TimeoutQueue> queues, long now, long wait)
    {
        foreach (TimeoutQueue q in queues)
        {
            if (q.Head is not null)
            {
                wait = Math.Min(wait, q.Head.Deadline - now);
            }
        }

        return wait;
    }

    private static int CountIn(List<TimeoutQueue> queues)
    {
        int n = 0;
        foreach (TimeoutQueue q in queues)
        {
            n += q.Count;
        }

        return n;
    }

    private int NextWaitMs()
    {
        long now = Environment.TickCount64;
        long wait = MaxPollMs;
        lock (_lock)
        {
            wait = EarliestDeadline(_keepAliveQueues, now, wait);
            wait = EarliestDeadline(_writeQueues, now, wait);

            // A stopping child gives normal lingering closes the short time only.
            long shortened = IsGraceful ? s_lingerMs - s_shortLingerMs : 0;
            if (_lingerQueue.Head is not null)
            {
                wait = Math.Min(wait, _lingerQueue.Head.Deadline - shortened - now);
            }

            if (_shortLingerQueue.Head is not null)
            {
                wait = Math.Min(wait, _shortLingerQueue.Head.Deadline - now);
            }
        }

        return (int)Math.Max(0, wait);
    }

    private void ProcessTimeouts(long now)
    {
        lock (_lock)
        {
            foreach (TimeoutQueue q in _keepAliveQueues)
            {
                q.TakeExpired(now, _expired, _parked);
            }

            // A client that took nothing of its response for Timeout seconds is dropped (no linger).
            foreach (TimeoutQueue q in _writeQueues)
            {
                q.TakeExpired(now, _expired, _parked);
            }

            _lingerQueue.TakeExpired(IsGraceful ? now + s_lingerMs - s_shortLingerMs : now, _expired, _parked);
            _shortLingerQueue.TakeExpired(now, _expired, _parked);
        }

        CloseCollected();
    }

    private void CloseAllKeepAlive() => CloseIdleKeepAlive(0);

    /// <summary>
    /// Closes the keep-alive connections that have waited at least <paramref name="idleMs"/>.
    /// When all workers are busy Apache closes every keep-alive connection at once; Pluma spares
    /// the ones parked for less than <see cref="BusyCloseGraceMs"/>, whose clients are most
    /// likely sending their next request right now (a close would fail that request), and
    /// closes the idle ones that Apache's rule is meant for (README, "deliberate differences").
    /// </summary>
    private void CloseIdleKeepAlive(long idleMs)
    {
        long now = Environment.TickCount64;
        lock (_lock)
        {
            foreach (TimeoutQueue q in _keepAliveQueues)
            {
                q.TakeExpired(idleMs == 0 ? long.MaxValue : now + q.TimeoutMs - idleMs, _expired, _parked);
            }
        }

        CloseCollected();
    }

    private void CloseCollected()
    {
        foreach (EventConnection e in _expired)
        {
            Close(e);
        }

        _expired.Clear();
    }

    private void Close(EventConnection e)
    {
        if (e.State == ConnState.Lingering)
        {
            Interlocked.Decrement(ref _lingering);
        }

        e.Conn.Dispose();
        Interlocked.Decrement(ref _open);
    }

    private void UpdateScoreboard()
    {
        ref ProcessScore ps = ref Context.Board.Process(Context.Slot);
        ps.Connections = Volatile.Read(ref _open);
        ps.LingeringClose = Volatile.Read(ref _lingering);
        lock (_lock)
        {
            ps.KeepAlive = CountIn(_keepAliveQueues);
            ps.WriteCompletion = CountIn(_writeQueues);
        }
    }
}
