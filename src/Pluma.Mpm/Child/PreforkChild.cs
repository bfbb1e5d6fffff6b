using Pluma.Mpm.Native;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Child;

/// <summary>
/// A prefork child: one connection at a time on the main thread. It polls the listeners and
/// the pipe of death together (so an idle child needs no dummy connection to hear "die"),
/// and leaves after MaxConnectionsPerChild connections or when its generation is over.
/// </summary>
internal sealed class PreforkChild : ChildBase
{
    public PreforkChild(ChildContext context)
        : base(context)
    {
    }

    /// <summary>SIGUSR1 or the pipe of death: a busy prefork child stops listening at once and leaves after its connection.</summary>
    public override void BeginGracefulStop()
    {
        bool first = !IsGraceful;
        base.BeginGracefulStop();
        if (first)
        {
            CloseListeners();
        }
    }

    protected override int Run()
    {
        ChildContext c = Context;
        WorkerSlotWriter writer = c.Board.OpenWorker(c.Slot, 0);
        writer.Attach(Environment.ProcessId, Sys.GetTid(), c.Generation);
        var status = new ScoreboardWorkerStatus(writer);
        var counter = ConnectionsPerChild.ForPrefork(c.Settings.MaxConnectionsPerChild);
        ReadOnlySpan<int> listeners = c.Listeners.Fds;
        Span<int> fds = stackalloc int[listeners.Length + 1];
        listeners.CopyTo(fds);
        fds[^1] = c.Pod.ReadFd;
        var poll = new FdPoll(fds);
        int podIndex = listeners.Length;
        while (!counter.Exhausted && !IsGraceful && (c.OneProcess || !c.GenerationIsStale))
        {
            writer.SetStatus(ScoreState.Ready);
            if (poll.Wait(1000) == 0)
            {
                continue;
            }

            if (poll.IsReady(podIndex) && CheckPipeOfDeath())
            {
                break;
            }

            for (int i = 0; i < podIndex; i++)
            {
                if (!poll.IsReady(i))
                {
                    continue;
                }

                SocketConnection? conn = SocketConnection.TryAccept(listeners[i], NextConnectionId(), Context.Listeners.SpecificAddress(i));
                if (conn is null)
                {
                    continue;
                }

                counter.CountAccepted();
                ServeOnThisThread(conn, status);
                break;
            }
        }

        BeginGracefulStop();
        CloseListeners();
        writer.SetStatus(ScoreState.Dead);
        return 0;
    }
}
