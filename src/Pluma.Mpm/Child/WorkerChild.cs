using System.Collections.Generic;
using System.Threading;
using Pluma.Mpm.Configuration;
using Pluma.Mpm.Native;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Child;

/// <summary>
/// A worker child: the main thread watches the pipe of death, one listener thread accepts
/// only while a worker is idle (otherwise clients wait in the kernel backlog), and
/// ThreadsPerChild dedicated threads each own their connection through keep-alive (K).
/// </summary>
internal sealed class WorkerChild : ChildBase
{
    private readonly WorkQueue<SocketConnection> _queue;
    private readonly ThreadedMpmSettings _settings;

    public WorkerChild(ChildContext context)
        : base(context)
    {
        _settings = (ThreadedMpmSettings)context.Settings;
        _queue = new WorkQueue<SocketConnection>(_settings.ThreadsPerChild);
    }

    protected override int Run()
    {
        RunWorkerAndListenerThreads(_settings.ThreadsPerChild, WorkerThread, ListenerThread);
        return 0;
    }

    public override void BeginGracefulStop()
    {
        base.BeginGracefulStop();
        _queue.NotifyIdle();
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

                SocketConnection? conn = SocketConnection.TryAccept(listeners[i], NextConnectionId());
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

        writer.SetStatus(ScoreState.Dead);
    }
}
