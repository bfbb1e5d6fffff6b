using System.Collections.Generic;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Configuration;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Child;

/// <summary>
/// An event child (reference 3.1): the main thread watches the pipe of death; one listener
/// thread accepts connections, runs the timeout queues and the lingering closes; and
/// ThreadsPerChild dedicated worker threads run the protocol. A connection between requests
/// (keep-alive) or waiting for a slow client to take its response (write completion) is parked
/// in the workers' epoll set and holds no thread: its worker slot goes back to <c>_</c>.
/// </summary>
/// <remarks>
/// Apache's listener owns every parked connection and hands each readable one to a worker
/// through a queue, so each request costs a thread wake-up. Here the idle workers themselves
/// wait on the parked connections' epoll set (the kernel wakes one waiter per event), so a
/// worker that finishes a request picks the next ready connection without any hand-off; only
/// newly accepted connections are handed over, through a doorbell in the same set. What the
/// scoreboard, the accept limit and the timeouts show is Apache's.
/// </remarks>
internal sealed partial class EventChild : ChildBase
{
    private const ulong ListenerKeyBase = 1UL << 62;
    private const ulong NewConnectionKey = EpollSet.WakeKey - 1;
    private const int MaxPollMs = 250;

    // How long a keep-alive connection must have been idle to be closed when all workers are busy.
    private const long BusyCloseGraceMs = 1000;

    private readonly EventSettings _settings;

    // The listener's set: listening sockets, lingering closes, and its wake-up.
    private readonly EpollSet _listenEp = new();

    // The workers' set: keep-alive and write-completion connections, the new-connection
    // doorbell, and (its wake-up, never drained) the stop latch.
    private readonly EpollSet _workEp = new(capacity: 1);
    private readonly EventCounter _doorbell = new(semaphore: true);
    private readonly Queue<EventConnection> _newConnections;
    private ConnectionsPerChild _counter;
    private int _open;
    private int _lingering;
    private int _liveWorkers;
    private int _idleWorkers;
    private volatile bool _accepting = true;
    private bool _listenersClosed;
    private bool _stopRung;

    public EventChild(ChildContext context)
        : base(context)
    {
        _settings = (EventSettings)context.Settings;
        _newConnections = new Queue<EventConnection>(_settings.ThreadsPerChild);
        _counter = ConnectionsPerChild.ForThreaded(_settings.MaxConnectionsPerChild);
    }

    protected override int Run()
    {
        ReadOnlySpan<int> listeners = Context.Listeners.Fds;
        for (int i = 0; i < listeners.Length; i++)
        {
            _listenEp.Add(listeners[i], EpollSet.EPOLLIN, ListenerKeyBase + (ulong)i);
        }

        _workEp.Add(_doorbell.Fd, EpollSet.EPOLLIN, NewConnectionKey);
        _liveWorkers = _settings.ThreadsPerChild;
        RunWorkerAndListenerThreads(_settings.ThreadsPerChild, WorkerThread, ListenerThread);
        _listenEp.Dispose();
        _workEp.Dispose();
        _doorbell.Dispose();
        return 0;
    }

    public override void BeginGracefulStop()
    {
        base.BeginGracefulStop();
        _listenEp.Wake();
    }

    /// <summary>Workers waiting for work right now, less the new connections not yet taken.</summary>
    private int IdleWorkers
    {
        get
        {
            int queued;
            lock (_newConnections)
            {
                queued = _newConnections.Count;
            }

            return Volatile.Read(ref _idleWorkers) - queued;
        }
    }

    private void ListenerThread()
    {
        while (true)
        {
            int n = _listenEp.Wait(NextWaitMs());
            for (int i = 0; i < n; i++)
            {
                ulong key = _listenEp.Key(i);
                if (key == EpollSet.WakeKey)
                {
                    continue;
                }

                if (key >= ListenerKeyBase)
                {
                    if (_accepting && !IsGraceful)
                    {
                        AcceptOne((int)(key - ListenerKeyBase));
                    }
                }
                else
                {
                    OnLingeringReadable((long)key);
                }
            }

            ProcessTimeouts(Environment.TickCount64);
            if (IsGraceful)
            {
                StopListening();

                // Keep-alive connections are closed at once when the child stops (and any a worker
                // parked meanwhile); responses in write completion and lingering closes finish;
                // then the workers are let go and the process may exit.
                CloseAllKeepAlive();
                if (Volatile.Read(ref _open) == 0 && !_stopRung)
                {
                    _stopRung = true;
                    _workEp.Wake();
                }

                if (Volatile.Read(ref _liveWorkers) == 0)
                {
                    break;
                }
            }
            else
            {
                if (Volatile.Read(ref _idleWorkers) <= 0)
                {
                    // All workers busy: keep-alive clients are told to go elsewhere (Apache closes them all).
                    CloseIdleKeepAlive(BusyCloseGraceMs);
                }

                if (!_accepting && CanAccept())
                {
                    ResumeListening();
                }
            }

            UpdateScoreboard();
        }

        UpdateScoreboard();
    }

    /// <summary>
    /// Apache's connections_above_limit, inverted: accept while
    /// open - lingering &lt; ThreadsPerChild + idle workers x trunc(AsyncRequestWorkerFactor),
    /// and never with no idle worker.
    /// </summary>
    private bool CanAccept()
    {
        int idle = IdleWorkers;
        return idle > 0 && Volatile.Read(ref _open) - Volatile.Read(ref _lingering) < _settings.ThreadsPerChild + (idle * _settings.WorkerFactor);
    }

    private void AcceptOne(int listenerIndex)
    {
        if (!CanAccept())
        {
            PauseListening();
            return;
        }

        SocketConnection? conn = SocketConnection.TryAccept(Context.Listeners.Fds[listenerIndex], NextConnectionId());
        if (conn is null)
        {
            return;
        }

        conn.WriteCompletionEnabled = true;
        Interlocked.Increment(ref _open);
        _counter.CountAccepted();
        lock (_newConnections)
        {
            _newConnections.Enqueue(new EventConnection(conn));
        }

        _doorbell.Signal();
        if (_counter.Exhausted)
        {
            BeginGracefulStop();
        }
    }

    private void PauseListening()
    {
        if (!_accepting)
        {
            return;
        }

        _accepting = false;
        foreach (int fd in Context.Listeners.Fds)
        {
            _listenEp.Remove(fd);
        }

        Context.Board.Process(Context.Slot).NotAccepting = 1;
        if (Context.Log.IsEnabled(LogLevel.Debug, Context.Module))
        {
            Context.Log.Write(LogLevel.Debug, Context.Module, IdleWorkers <= 0
                ? "All workers busy, not accepting new conns in this process"
                : $"Too many open connections ({Volatile.Read(ref _open)}), not accepting new conns in this process");
        }
    }

    private void ResumeListening()
    {
        ReadOnlySpan<int> fds = Context.Listeners.Fds;
        for (int i = 0; i < fds.Length; i++)
        {
            _listenEp.Add(fds[i], EpollSet.EPOLLIN, ListenerKeyBase + (ulong)i);
        }

        _accepting = true;
        Context.Board.Process(Context.Slot).NotAccepting = 0;
        if (Context.Log.IsEnabled(LogLevel.Debug, Context.Module))
        {
            Context.Log.Write(LogLevel.Debug, Context.Module,
                $"AH00457: Accepting new connections again: {Volatile.Read(ref _open)} active conns ({Volatile.Read(ref _lingering)} lingering/0 clogged/0 suspended), {IdleWorkers} idle workers");
        }
    }

    private void StopListening()
    {
        if (_listenersClosed)
        {
            return;
        }

        _listenersClosed = true;
        if (_accepting)
        {
            foreach (int fd in Context.Listeners.Fds)
            {
                _listenEp.Remove(fd);
            }
        }

        _accepting = false;
        CloseListeners();
    }
}
