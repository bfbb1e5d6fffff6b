using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Worker;

/// <summary>
/// A worker child (server/mpm/worker/worker.c child_main, start_threads, listener_thread,
/// worker_thread): the main thread watches the pipe of death, a start thread creates the
/// ThreadsPerChild workers in the slot's free thread entries, one listener thread accepts only
/// while a worker is idle (otherwise clients wait in the kernel backlog), and each worker owns
/// its connection through keep-alive (K), waiting for each next request in one blocking recv.
/// The queue wakes a sleeping worker only for a connection no other worker is coming for
/// (<see cref="QueueWake.PerQueuedItem"/>): under Connection: close the worker that is done
/// takes the next connection itself, without a futex wake and sleep per connection.
/// </summary>
internal sealed class WorkerChild : ChildBase
{
    // Apache's start thread reports a slow takeover every 120 rounds (about two minutes).
    private const int SlowTakeoverReportRounds = 120;

    private readonly WorkerSettings _settings;
    private readonly WorkQueue<SocketConnection> _queue;
    private readonly ChildWorkerPool<SocketConnection> _pool;
    private readonly ChildThread?[] _workers;
    private readonly ManualResetEventSlim _stopping = new(false);
    private ChildThread? _listener;

    public WorkerChild(ChildContext context, WorkerSettings settings)
        : base(context)
    {
        _settings = settings;
        _queue = new WorkQueue<SocketConnection>(_settings.ThreadsPerChild, wake: QueueWake.PerQueuedItem);
        _pool = new ChildWorkerPool<SocketConnection>(_queue, _settings.ThreadsPerChild);
        _workers = new ChildThread?[_settings.ThreadsPerChild];
    }

    /// <summary>child_main: the start thread starts the others; this thread waits for the stop, then for them.</summary>
    protected override int ChildMain()
    {
        ChildThread starter = ChildThread.Start("mpm-starter", StartThreads);
        WaitUntilGraceful();
        // The start thread gives up on the entries it is still waiting for; after it is gone
        // the set of threads to wait for is fixed.
        starter.Join();
        if (_listener is null)
        {
            // Not one thread entry came free before the stop: nothing was ever accepted.
            CloseListeners();
            _queue.Complete();
        }
        else
        {
            _listener.Join();
        }

        foreach (ChildThread? worker in _workers)
        {
            worker?.Join();
        }

        return 0;
    }

    public override void BeginGracefulStop()
    {
        base.BeginGracefulStop();
        _queue.NotifyIdle();
        _stopping.Set();
    }

    /// <summary>
    /// start_threads: this child may have been started in a slot whose previous child is still
    /// finishing requests (the parent's takeover of a stopping child's slot), so it starts a
    /// worker only in a thread entry that is DEAD, and looks again every second for the entries
    /// the old child releases until all ThreadsPerChild run or the child stops. The listener
    /// starts right after the first worker, before the others (Apache's starts after them all):
    /// the child's first connection waits for one worker, not for ThreadsPerChild; the rest
    /// follow within milliseconds, so server-status soon counts them all idle as before.
    /// </summary>
    private void StartThreads()
    {
        ChildContext c = Context;
        int created = 0, previouslyCreated = 0, rounds = 0;
        while (!IsGraceful)
        {
            for (int i = 0; i < _workers.Length && !IsGraceful; i++)
            {
                if (_workers[i] is not null)
                {
                    continue;
                }

                ref WorkerScore entry = ref c.Board.Worker(c.Slot, i);
                if (Volatile.Read(ref entry.Status) != ScoreState.Dead)
                {
                    // Still a thread of the child that had this slot before.
                    continue;
                }

                Volatile.Write(ref entry.Status, ScoreState.Starting);
                int index = i;
                _workers[i] = ChildThread.Start("mpm-worker", () => WorkerThread(index));
                created++;
                if (_listener is null && !IsGraceful)
                {
                    // The listener starts once a worker is there to take what it accepts.
                    _listener = ChildThread.Start("mpm-listener", ListenerThread);
                }
            }

            if (created == _workers.Length)
            {
                return;
            }

            _stopping.Wait(1000);
            if (++rounds % SlowTakeoverReportRounds == 0)
            {
                if (created == previouslyCreated && c.Log.IsEnabled(LogLevel.Debug, c.Module))
                {
                    c.Log.Write(LogLevel.Debug, c.Module, $"AH03289: child {Environment.ProcessId} isn't taking over slots very quickly ({created} of {_workers.Length})");
                }

                previouslyCreated = created;
            }
        }
    }

    /// <summary>listener_thread: accepts only for an idle worker and queues the connection to it.</summary>
    private void ListenerThread()
    {
        ChildContext c = Context;
        var counter = ConnectionsPerChild.ForThreaded(_settings.MaxConnectionsPerChild);
        ReadOnlySpan<int> listeners = c.Listeners.Fds;
        var poll = new FdPoll(listeners);
        while (!IsGraceful)
        {
            if (counter.Exhausted)
            {
                BeginGracefulStop();
                break;
            }

            // While connections wait in the queue, look again within a millisecond whether one
            // waits behind a worker that has since blocked (WorkQueue, QueueWake.PerQueuedItem).
            _queue.WakeIfShort();
            int waitMs = _queue.QueuedNow > 0 ? 1 : 500;

            // Accept only for an idle worker: when all are busy clients wait in the backlog.
            if (!_queue.WaitForIdleWorker(waitMs) || poll.Wait(waitMs) == 0 || IsGraceful)
            {
                continue;
            }

            for (int i = 0; i < listeners.Length; i++)
            {
                if (!poll.IsReady(i))
                {
                    continue;
                }

                SocketConnection? conn = SocketConnection.TryAccept(listeners[i], NextConnectionId(), Context.Listeners.SpecificAddress(i), Context.Listeners.NoDelayInherited(i));
                if (conn is not null)
                {
                    counter.CountAccepted();
                    _queue.Push(conn);
                    break;
                }
            }
        }

        CloseListeners();
        _queue.Complete();
    }

    /// <summary>worker_thread: serves one queued connection at a time, through its keep-alive requests.</summary>
    private void WorkerThread(int index)
    {
        ChildContext c = Context;
        WorkerSlotWriter writer = c.Board.OpenWorker(c.Slot, index);
        writer.Attach(Environment.ProcessId, Sys.GetTid(), c.Generation);
        var status = new ScoreboardWorkerStatus(writer);
        // Before this thread waits on its connection's client: another worker must take what queues.
        Action waiting = () =>
        {
            _queue.MarkHolding(index);
            _queue.WakeIfShort();
        };
        ShowIdle(writer);
        while (true)
        {
            SocketConnection? conn = _queue.Pop(index, out SecondaryWork? secondary);
            if (secondary is not null)
            {
                // A stream of a connection another worker holds (HTTP/2).
                ChildWorkerPool<SocketConnection>.RunSecondary(secondary, status, ReportFailure);
                ShowIdle(writer);
                continue;
            }

            if (conn is null)
            {
                break;
            }

            conn.Workers = _pool;
            ServeOnThisThread(conn, status, waiting);
            ShowIdle(writer);
        }

        // The last write to this entry: from now on a newer child of this slot may take it.
        writer.SetStatus(ScoreState.Dead);
    }
}
