using Pluma.Mpm.Common;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Prefork;

/// <summary>
/// A prefork child: one connection at a time on the main thread. It waits on the listeners and
/// the pipe of death together (so an idle child needs no dummy connection to hear "die"),
/// and leaves after MaxConnectionsPerChild connections or when its generation is over.
/// </summary>
internal sealed class PreforkChild : ChildBase
{
    // The epoll key of the pipe of death (the listeners are keyed by their index).
    private const ulong PodKey = ulong.MaxValue - 1;

    // How often a child that goes from connection to connection without waiting reads the pipe of
    // death. An idle child hears it at once through its epoll set; only a busy one must look.
    private const long PodLookIntervalMs = 100;

    private readonly PreforkSettings _settings;

    public PreforkChild(ChildContext context, PreforkSettings settings)
        : base(context)
    {
        _settings = settings;
    }

    /// <summary>child_main: the accept loop, one connection at a time.</summary>
    protected override int ChildMain()
    {
        ChildContext c = Context;
        WorkerSlotWriter writer = c.Board.OpenWorker(c.Slot, 0);
        writer.Attach(Environment.ProcessId, Sys.GetTid(), c.Generation);
        var status = new ScoreboardWorkerStatus(writer);
        var counter = ConnectionsPerChild.ForPrefork(_settings.MaxConnectionsPerChild);
        ReadOnlySpan<int> listeners = c.Listeners.Fds;

        // Each idle child waits in its own epoll set. EPOLLEXCLUSIVE: a new connection wakes one
        // waiting child, not all of them (poll(2) on a shared listener wakes every idle child,
        // and all but one find nothing to accept) - Apache gets the same from a blocking accept(2).
        using var ep = new EpollSet(listeners.Length + 1);
        for (int i = 0; i < listeners.Length; i++)
        {
            ep.Add(listeners[i], EpollSet.EPOLLIN | EpollSet.EPOLLEXCLUSIVE, (ulong)i);
        }

        ep.Add(c.Pod.ReadFd, EpollSet.EPOLLIN, PodKey);

        // A child whose connections stopped coming gives back what they left (as the threaded
        // children do from their main thread); its start already collected once.
        var idle = new IdleRelease(c, releasedAtStart: true);
        var podLook = new IntervalGate(PodLookIntervalMs);
        while (!counter.Exhausted && !IsGraceful && (c.OneProcess || !c.GenerationIsStale))
        {
            writer.SetStatus(ScoreState.Ready);

            // A connection already waiting first: its wake-up may have gone to a child that was
            // busy by then, and exclusive wake-ups do not come again for it.
            SocketConnection? conn = TryAcceptAny(listeners);
            if (conn is null)
            {
                int n = ep.Wait(1000);
                if (n == 0)
                {
                    idle.Tick();
                }

                bool pod = false;
                for (int k = 0; k < n; k++)
                {
                    ulong key = ep.Key(k);
                    if (key == PodKey)
                    {
                        pod = true;
                    }
                    else if (conn is null)
                    {
                        int i = (int)key;
                        conn = SocketConnection.TryAccept(listeners[i], NextConnectionId(), c.Listeners.SpecificAddress(i), c.Listeners.NoDelayInherited(i));
                    }
                }

                if (conn is null)
                {
                    if (pod && CheckPipeOfDeath())
                    {
                        break;
                    }

                    continue;
                }
            }

            counter.CountAccepted();
            ServeOnThisThread(conn, status);

            // As Apache's prefork after each connection: has the parent asked one idle child to go?
            // Not with a read(2) after every connection, though (one system call in nine of a
            // Connection: close request): at most every PodLookIntervalMs, and each time the child
            // waits, its epoll set reports the pipe. The byte is for a child the parent counted
            // idle, and idle children hear it at once; a busy child only has to notice it in time.
            if (podLook.Due() && CheckPipeOfDeath())
            {
                break;
            }
        }

        BeginGracefulStop();
        CloseListeners();
        writer.SetStatus(ScoreState.Dead);
        return 0;
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

    private SocketConnection? TryAcceptAny(ReadOnlySpan<int> listeners)
    {
        for (int i = 0; i < listeners.Length; i++)
        {
            SocketConnection? conn = SocketConnection.TryAccept(listeners[i], NextConnectionId(), Context.Listeners.SpecificAddress(i), Context.Listeners.NoDelayInherited(i));
            if (conn is not null)
            {
                return conn;
            }
        }

        return null;
    }
}
