using System.Collections.Generic;
using System.Threading;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Event;

/// <summary>
/// An event child (server/mpm/event/event.c child_main, listener_thread, worker_thread): the main thread watches the pipe of death; one listener
/// thread owns an epoll set with the listening sockets and every parked connection; and
/// ThreadsPerChild dedicated worker threads run the protocol. A keep-alive connection that
/// waits for its next request is parked in the epoll set with no thread (its worker slot goes
/// back to <c>_</c>) and queued to a worker when it becomes readable; so is a connection whose
/// request head has only partly arrived (the handler's WaitForInput), until its deadline. The end of a response the
/// client is slow to take (write completion), keep-alive timeouts and lingering closes are
/// handled by the listener, without a worker.
/// </summary>
internal sealed partial class EventChild : ChildBase
{
    private const ulong ListenerKeyBase = 1UL << 62;
    private const int MaxPollMs = 250;
    private static readonly long s_shortLingerMs = (long)SocketConnection.LingerTime.TotalMilliseconds;
    private static readonly long s_lingerMs = (long)SocketConnection.MaxLingerTime.TotalMilliseconds;

    private readonly EventSettings _settings;
    private readonly WorkQueue<EventConnection> _queue;
    private readonly ChildWorkerPool<EventConnection> _pool;
    private readonly EpollSet _ep = new();
    private readonly object _lock = new();
    private readonly List<TimeoutQueue> _keepAliveQueues = [];
    private readonly List<TimeoutQueue> _writeQueues = [];
    // Apache's linger_q (30 s, after a response that ends the connection) and short_linger_q
    // (2 s, when the child is stopping).
    private readonly TimeoutQueue _lingerQueue = new(s_lingerMs);
    private readonly TimeoutQueue _shortLingerQueue = new(s_shortLingerMs);
    // Connections whose request head is incomplete (new ones included), by the deadline their
    // handler gave (mod_reqtimeout's header stage, or Timeout): no worker holds them.
    private readonly TimeoutQueue _headQueue = new(0);
    private readonly List<EventConnection> _resumed = [];
    private readonly List<EventConnection> _expired = [];
    private ConnectionsPerChild _counter;
    private int _open;
    private int _lingering;
    // Parked until more of their request head arrives: like lingering closes, they hold no
    // worker and do not count toward the accept limit (else a slowloris would close the door).
    private int _readingHead;
    private int _liveWorkers;
    private bool _accepting = true;
    private bool _listenersClosed;
    private bool _workersWereBusy;

    // How long a keep-alive connection must have been idle to be closed when all workers are busy.
    private const long BusyCloseGraceMs = 1000;

    // Descriptors a child keeps for what is not a connection: listeners, logs, the scoreboard,
    // pipes, and the open-file cache (a quarter of the limit, at most 1024: core's OpenFileCache).
    private const int OtherDescriptors = 64;
    private const int OpenFileCacheMax = 1024;

    // The most connections this child may hold open at once: past it accept(2) would fail with
    // EMFILE and leave the listener readable (a busy loop) or starve the open-file cache.
    private readonly long _maxOpen;

    public EventChild(ChildContext context, EventSettings settings)
        : base(context)
    {
        _settings = settings;
        _queue = new WorkQueue<EventConnection>(_settings.ThreadsPerChild, WakeListenerIfPaused, QueueWake.UpToCpus);
        _pool = new ChildWorkerPool<EventConnection>(_queue, _settings.ThreadsPerChild);
        _counter = ConnectionsPerChild.ForThreaded(_settings.MaxConnectionsPerChild);
        long fds = Sys.DescriptorLimit();
        _maxOpen = Math.Max(_settings.ThreadsPerChild, fds - Math.Min(fds / 4, OpenFileCacheMax) - OtherDescriptors);
    }

    private enum ConnState : byte
    {
        Processing,
        WriteCompletion,
        KeepAlive,
        Lingering,
        ReadingHead,
    }

    /// <summary>child_main: starts the threads; this thread waits for the stop, then for them.</summary>
    protected override int ChildMain()
    {
        ChildContext c = Context;
        ReadOnlySpan<int> listeners = c.Listeners.Fds;
        for (int i = 0; i < listeners.Length; i++)
        {
            _ep.Add(listeners[i], EpollSet.EPOLLIN, ListenerKeyBase + (ulong)i);
        }

        _liveWorkers = _settings.ThreadsPerChild;
        (ChildThread listener, List<ChildThread> workers) = StartThreads();
        WaitUntilGraceful();
        listener.Join();
        foreach (ChildThread worker in workers)
        {
            worker.Join();
        }

        _ep.Dispose();
        return 0;
    }

    public override void BeginGracefulStop()
    {
        base.BeginGracefulStop();
        _ep.Wake();
    }

    /// <summary>
    /// start_threads: ThreadsPerChild dedicated worker threads and the listener thread. The
    /// listener starts right after the first worker, before the others (Apache's starts after
    /// them all): the child's first connection waits for one worker, not for ThreadsPerChild;
    /// the rest follow within milliseconds, so server-status soon counts them all idle as before.
    /// </summary>
    private (ChildThread Listener, List<ChildThread> Workers) StartThreads()
    {
        var workers = new List<ChildThread>(_settings.ThreadsPerChild);
        ChildThread? listener = null;
        for (int t = 0; t < _settings.ThreadsPerChild; t++)
        {
            int index = t;
            workers.Add(ChildThread.Start("mpm-worker", () => WorkerThread(index)));
            listener ??= ChildThread.Start("mpm-listener", ListenerThread);
        }

        return (listener ?? ChildThread.Start("mpm-listener", ListenerThread), workers);
    }

    /// <summary>
    /// listener_thread: accepts while the child is below its connection limit, watches every
    /// parked connection, finishes write completion and lingering closes, and times connections out.
    /// </summary>
    private void ListenerThread()
    {
        bool stopping = false, queueCompleted = false;
        while (true)
        {
            int n = _ep.Wait(NextWaitMs());
            for (int i = 0; i < n; i++)
            {
                ulong key = _ep.Key(i);
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
                    OnParkedEvent((long)key, _ep.Events(i));
                }
            }

            ProcessTimeouts(Environment.TickCount64);
            // A connection queued behind a worker that has since blocked gets another one.
            _queue.WakeIfShort();
            if (IsGraceful)
            {
                // Heads still arriving are finished by workers, which now wait for them on their
                // thread as Apache's do (the handler no longer gives them back while draining).
                ResumeAllReadingHead();
                if (!stopping)
                {
                    stopping = true;
                    StopListening();
                }

                // Keep-alive connections are not closed here (see OnParkedEvent): each stays
                // parked until its next request, which a worker answers with Connection: close,
                // or until its KeepAliveTimeout. Closing an idle one early is never safe: its
                // next request may be on the way, and no look at the socket (a grace period
                // included) sees bytes still in the client's or the network's buffers. The workers stay until no connection can need
                // one any more; lingering closes finish; then the process may go.
                if (!queueCompleted && OnlyLingeringLeft())
                {
                    queueCompleted = true;
                    _queue.Complete();
                }

                if (Volatile.Read(ref _liveWorkers) == 0)
                {
                    CloseUnservedQueue();
                }

                if (Volatile.Read(ref _open) == 0 && Volatile.Read(ref _liveWorkers) == 0)
                {
                    break;
                }
            }
            else
            {
                if (_workersWereBusy)
                {
                    // All workers busy: keep-alive clients are told to go elsewhere (Apache closes
                    // them all) to free room under the accept limit. Left out of that limit
                    // (KeepAliveOutsideAsyncLimit), closing them would free nothing: they stay.
                    _workersWereBusy = false;
                    if (!_settings.KeepAliveOutsideAsyncLimit)
                    {
                        CloseIdleKeepAlive(BusyCloseGraceMs);
                    }
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
    /// worker_thread: runs the protocol for one queued connection, then hands it back to the
    /// listener (keep-alive, more of a head, write completion, lingering close) and takes the next.
    /// </summary>
    private void WorkerThread(int index)
    {
        ChildContext c = Context;
        WorkerSlotWriter writer = c.Board.OpenWorker(c.Slot, index);
        writer.Attach(Environment.ProcessId, Sys.GetTid(), c.Generation);
        var status = new ScoreboardWorkerStatus(writer);
        ShowIdle(writer);
        try
        {
            while (true)
            {
                EventConnection? e = _queue.Pop(index, out SecondaryWork? secondary);
                // The listener writes the figure as it queues; the worker that takes one brings it
                // down at once (else server-status would count its own connection as waiting).
                Volatile.Write(ref c.Board.Process(c.Slot).Queued, _queue.QueuedNow);
                if (secondary is not null)
                {
                    // A stream of a connection another worker holds (HTTP/2).
                    ChildWorkerPool<EventConnection>.RunSecondary(secondary, status, ReportFailure);
                    ShowIdle(writer);
                    continue;
                }

                if (e is null)
                {
                    break;
                }

                SocketConnection conn = e.Conn;
                if (e.IsNew)
                {
                    e.IsNew = false;
                    writer.ConnectionStarted(conn.RemoteEndPoint.Address);
                    conn.DrainRequested = DrainProbe;
                    conn.Workers = _pool;
                }

                conn.Status = status;
                writer.SetStatus(ScoreState.BusyRead);
                ConnectionStep step;
                try
                {
                    step = c.Handler.Serve(conn);
                }
                catch (Exception ex)
                {
                    c.Log.Write(LogLevel.Error, c.Module, "PL00101: connection handler failed: " + ex.Message);
                    step = ConnectionStep.Close;
                }

                if (conn.HasPendingOutput)
                {
                    // The client is slower than the response: the listener finishes it, this worker goes on.
                    e.AfterWrite = step;
                    Park(e, ConnState.WriteCompletion, TimeoutMs(conn.PendingOutputTimeout));
                }
                else
                {
                    if (step == ConnectionStep.Close)
                    {
                        writer.SetStatus(ScoreState.Closing);
                    }

                    ParkAfterResponse(e, step);
                }

                conn.Status = NullWorkerStatus.Instance;
                ShowIdle(writer);
            }
        }
        finally
        {
            writer.SetStatus(ScoreState.Dead);
            Interlocked.Decrement(ref _liveWorkers);
            _ep.Wake();
        }
    }

    private int IdleWorkers => _queue.IdleWorkers - _queue.Count;

    /// <summary>
    /// Apache's connections_above_limit, inverted: accept while
    /// open - lingering &lt; ThreadsPerChild + idle workers x trunc(AsyncRequestWorkerFactor),
    /// and never with no idle worker. Pluma also leaves out the connections that wait for the
    /// rest of a request head or for a slow reader to take its response (write completion):
    /// neither holds a worker, and counting them let slow clients (slowloris, slow read) shut
    /// the child to everyone else, as they shut Apache's. Under KeepAliveOutsideAsyncLimit On
    /// (the default) idle keep-alive connections are left out too, so the limit bounds the
    /// connections in flight, and all open connections stay below what the descriptor limit allows.
    /// </summary>
    private bool CanAccept()
    {
        int idle = IdleWorkers;
        int open = Volatile.Read(ref _open);
        if (idle <= 0 || open >= _maxOpen)
        {
            return false;
        }

        int waiting;
        lock (_lock)
        {
            waiting = CountIn(_writeQueues);
            if (_settings.KeepAliveOutsideAsyncLimit)
            {
                waiting += CountIn(_keepAliveQueues);
            }
        }

        return open - Volatile.Read(ref _lingering) - Volatile.Read(ref _readingHead) - waiting < _settings.ThreadsPerChild + (idle * _settings.WorkerFactor);
    }

    private void AcceptOne(int listenerIndex)
    {
        if (!CanAccept())
        {
            _workersWereBusy = IdleWorkers <= 0;
            PauseListening();
            return;
        }

        SocketConnection? conn = SocketConnection.TryAccept(Context.Listeners.Fds[listenerIndex], NextConnectionId(), Context.Listeners.SpecificAddress(listenerIndex), Context.Listeners.NoDelayInherited(listenerIndex));
        if (conn is null)
        {
            return;
        }

        conn.WriteCompletionEnabled = true;
        Interlocked.Increment(ref _open);
        _counter.CountAccepted();
        _queue.Push(new EventConnection(conn));
        if (_counter.Exhausted)
        {
            BeginGracefulStop();
        }
    }

    /// <summary>
    /// A worker turned idle: a listener that stopped accepting for want of one looks again now
    /// (Apache's listener waits for an idler, ap_queue_info_wait_for_idler), not at its next poll
    /// timeout, or a burst of new connections would be taken four at a time every 250 ms.
    /// </summary>
    private void WakeListenerIfPaused()
    {
        if (!Volatile.Read(ref _accepting) && !IsGraceful)
        {
            _ep.Wake();
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
            _ep.Remove(fd);
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
            _ep.Add(fds[i], EpollSet.EPOLLIN, ListenerKeyBase + (ulong)i);
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
                _ep.Remove(fd);
            }
        }

        _accepting = false;
        CloseListeners();
    }

    /// <summary>
    /// The client can take more of its response: write what it takes without blocking, here on
    /// the listener (a non-blocking send or sendfile costs microseconds; handing each writable
    /// event to a worker would cost two context switches, and workers may be gone during a
    /// graceful stop while the response must still finish). Then the connection moves on as its
    /// handler asked: keep-alive or lingering close.
    /// </summary>
    private void ContinueWriting(EventConnection e)
    {
        bool done;
        try
        {
            done = e.Conn.TryCompletePendingOutput();
        }
        catch (ConnectionResetException)
        {
            Close(e);
            return;
        }

        if (done)
        {
            ParkAfterResponse(e, e.AfterWrite);
        }
        else
        {
            Park(e, ConnState.WriteCompletion, TimeoutMs(e.Conn.PendingOutputTimeout));
        }
    }

    /// <summary>The response is out: wait for the next request (or the rest of one), or close with a lingering close.</summary>
    private void ParkAfterResponse(EventConnection e, ConnectionStep step)
    {
        if (step == ConnectionStep.ResumeWhenWritten)
        {
            Resume(e); // a pipelined request is buffered: a worker serves it now
            return;
        }

        if (step == ConnectionStep.WaitForInput)
        {
            if (IsGraceful)
            {
                Resume(e);
            }
            else
            {
                ParkForInput(e);
            }

            return;
        }

        // Also when the child is stopping: a response that went out with keep-alive promised the
        // client its next request would be read (it is answered with Connection: close).
        if (step == ConnectionStep.WaitForNextRequest)
        {
            Park(e, ConnState.KeepAlive, Math.Max(1, TimeoutMs(e.Conn.KeepAliveTimeout)));
        }
        else if (e.Conn.CloseIfClientSentAll())
        {
            Forget(e);
            Interlocked.Decrement(ref _open); // closed at once: the client sent its last request
        }
        else
        {
            e.Conn.ShutdownWrite();
            Interlocked.Increment(ref _lingering);
            Park(e, ConnState.Lingering, IsGraceful ? s_shortLingerMs : s_lingerMs);
        }
    }

    private static long TimeoutMs(TimeSpan timeout) => (long)timeout.TotalMilliseconds;

    /// <summary>The connection no longer waits for its head: it counts toward the accept limit again (under <see cref="_lock"/>).</summary>
    private void LeaveReadingHead(EventConnection e)
    {
        if (e.OutsideAcceptLimit)
        {
            e.OutsideAcceptLimit = false;
            _readingHead--;
        }
    }

    /// <summary>Hands a connection back to the workers (its handler goes on where it stopped).</summary>
    private void Resume(EventConnection e)
    {
        if (IsGraceful && Volatile.Read(ref _liveWorkers) == 0)
        {
            Close(e);
            return;
        }

        e.State = ConnState.Processing;
        _queue.Push(e);
    }

    /// <summary>A stopping child: every waiting head goes to a worker, which waits for the rest on its thread.</summary>
    private void ResumeAllReadingHead()
    {
        lock (_lock)
        {
            _headQueue.TakeExpired(long.MaxValue, _resumed);
            foreach (EventConnection e in _resumed)
            {
                LeaveReadingHead(e);
            }
        }

        ResumeCollected();
    }

    private void ResumeCollected()
    {
        foreach (EventConnection e in _resumed)
        {
            Resume(e);
        }

        _resumed.Clear();
    }

    /// <summary>No worker is left: whatever is still queued cannot be served.</summary>
    private void CloseUnservedQueue()
    {
        while (_queue.TryPop() is { } e)
        {
            Close(e);
        }
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
            if (_headQueue.Head is not null)
            {
                wait = Math.Min(wait, _headQueue.Head.Deadline - now);
            }

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

        // Queued connections: look again within a millisecond (WorkQueue.WakeIfShort).
        if (_queue.QueuedNow > 0)
        {
            wait = Math.Min(wait, 1);
        }

        return (int)Math.Max(0, wait);
    }

    private void ProcessTimeouts(long now)
    {
        lock (_lock)
        {
            foreach (TimeoutQueue q in _keepAliveQueues)
            {
                q.TakeExpired(now, _expired);
            }

            // A client that took nothing of its response for Timeout seconds is dropped (no linger).
            foreach (TimeoutQueue q in _writeQueues)
            {
                q.TakeExpired(now, _expired);
            }

            _lingerQueue.TakeExpired(IsGraceful ? now + s_lingerMs - s_shortLingerMs : now, _expired);
            _shortLingerQueue.TakeExpired(now, _expired);

            // A head that did not arrive in time: a worker lets the handler answer (408, or a
            // silent close before the request line) and log it, as mod_reqtimeout does.
            int before = _resumed.Count;
            _headQueue.TakeExpired(now, _resumed);
            for (int i = before; i < _resumed.Count; i++)
            {
                LeaveReadingHead(_resumed[i]);
            }
        }

        CloseCollected();
        ResumeCollected();
    }

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
                q.TakeExpired(now + q.TimeoutMs - idleMs, _expired);
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

    /// <summary>
    /// A stopping child: whether every connection still open is in a lingering close, which the
    /// listener finishes alone, so no connection can need a worker again. No new connection comes
    /// (the listeners are closed), so the count of open ones only falls: reading it before the
    /// lingering count can only see more connections than there are, never fewer (a lingering
    /// close that ends in between is still in the first number), so the answer is never yes too early.
    /// </summary>
    private bool OnlyLingeringLeft()
    {
        int open = Volatile.Read(ref _open);
        return open - Volatile.Read(ref _lingering) <= 0;
    }

    private void Close(EventConnection e)
    {
        if (e.State == ConnState.Lingering)
        {
            Interlocked.Decrement(ref _lingering);
        }

        Forget(e);
        e.Conn.Dispose();
        Interlocked.Decrement(ref _open);
    }

    private void UpdateScoreboard()
    {
        ref ProcessScore ps = ref Context.Board.Process(Context.Slot);
        ps.Connections = Volatile.Read(ref _open);
        ps.LingeringClose = Volatile.Read(ref _lingering);
        ps.Queued = _queue.QueuedNow;
        lock (_lock)
        {
            // Apache's event has no state for a connection waiting for the rest of its head (its
            // worker holds it, in R); Pluma counts them with the keep-alive ones, waiting for a request.
            ps.KeepAlive = CountIn(_keepAliveQueues) + _headQueue.Count;
            ps.WriteCompletion = CountIn(_writeQueues);
        }
    }
}
