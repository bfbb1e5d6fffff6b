using System.Threading;
using Pluma.Mpm.Common;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Worker;

/// <summary>
/// A worker child: the main thread watches the pipe of death, a start thread creates the
/// ThreadsPerChild workers in the slot's free thread entries (see WorkerChild.StartThreads),
/// one listener thread accepts only while a worker is idle (otherwise clients wait in the
/// kernel backlog), and each worker owns its connection through keep-alive (K).
/// </summary>
internal sealed partial class WorkerChild : ChildBase
{
    private readonly WorkQueue<SocketConnection> _queue;
    private readonly ThreadedMpmSettings _settings;

    public WorkerChild(ChildContext context)
        : base(context)
    {
        _settings = (ThreadedMpmSettings)context.Settings;
        _queue = new WorkQueue<SocketConnection>(_settings.ThreadsPerChild);
        _workers = new Thread?[_settings.ThreadsPerChild];
    }

    protected override int Run()
    {
        var starter = new Thread(StartThreads) { Name = "mpm-starter", IsBackground = true };
        starter.Start();
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

        foreach (Thread? worker in _workers)
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

            // Accept only for an idle worker: when all are busy clients wait in the backlog.
            if (!_queue.WaitForIdleWorker(500) || poll.Wait(500) == 0 || IsGraceful)
            {
                continue;
            }

            for (int i = 0; i < listeners.Length; i++)
            {
                if (!poll.IsReady(i))
                {
                    continue;
                }

                SocketConnection? conn = SocketConnection.TryAccept(listeners[i], NextConnectionId(), Context.Listeners.SpecificAddress(i));
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

    private void WorkerThread(int index)
    {
        ChildContext c = Context;
        WorkerSlotWriter writer = c.Board.OpenWorker(c.Slot, index);
        writer.Attach(Environment.ProcessId, Sys.GetTid(), c.Generation);
        var status = new ScoreboardWorkerStatus(writer);
        writer.SetStatus(ScoreState.Ready);
        while (true)
        {
            SocketConnection? conn = _queue.Pop();
            if (conn is null)
            {
                break;
            }

            ServeOnThisThread(conn, status);
            writer.SetStatus(IsGraceful ? ScoreState.Graceful : ScoreState.Ready);
        }

        // The last write to this entry: from now on a newer child of this slot may take it.
        writer.SetStatus(ScoreState.Dead);
    }
}
