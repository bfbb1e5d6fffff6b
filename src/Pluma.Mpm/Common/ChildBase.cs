using System.Runtime.InteropServices;
using System.Threading;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Common;

/// <summary>
/// What the three child kinds share: signal set-up, the stop flag, the scoreboard process slot,
/// the threaded children's main thread (watching the pipe of death) and serving one connection
/// on the calling thread through keep-alive (prefork and worker).
/// </summary>
internal abstract class ChildBase
{
    private PosixSignalRegistration? _term;
    private PosixSignalRegistration? _hup;
    private PosixSignalRegistration? _int;
    private PosixSignalRegistration? _usr1;
    private int _graceful;
    private long _nextConnectionId;

    protected ChildBase(ChildContext context)
    {
        Context = context;
        DrainProbe = () => IsGraceful;
    }

    protected ChildContext Context { get; }

    /// <summary>Handed to every connection: true once the child is stopping.</summary>
    protected Func<bool> DrainProbe { get; }

    /// <summary>The child is stopping gracefully: no new connections, no more keep-alive.</summary>
    public bool IsGraceful => Volatile.Read(ref _graceful) != 0;

    /// <summary>
    /// Runs the child until it exits; returns the exit code (0 normal): what every MPM's
    /// child_main does first (signals, the scoreboard's process entry), then its own <see cref="ChildMain"/>.
    /// </summary>
    public int Run()
    {
        if (!Context.OneProcess)
        {
            InstallSignals();
        }

        ref ProcessScore ps = ref Context.Board.Process(Context.Slot);
        ps.Pid = Environment.ProcessId;
        ps.Generation = Context.Generation;
        ps.Quiescing = 0;
        ps.NotAccepting = 0;
        ps.ListenersClosed = 0;
        try
        {
            return ChildMain();
        }
        finally
        {
            _term?.Dispose();
            _hup?.Dispose();
            _int?.Dispose();
            _usr1?.Dispose();
        }
    }

    /// <summary>Asks the child to stop gracefully (pipe of death, generation change, SIGUSR1, MaxConnectionsPerChild).</summary>
    public virtual void BeginGracefulStop()
    {
        if (Interlocked.Exchange(ref _graceful, 1) != 0)
        {
            return;
        }

        if (OwnsProcessEntry)
        {
            Context.Board.Process(Context.Slot).Quiescing = 1;
        }

        MarkIdleWorkersGraceful();
    }

    /// <summary>
    /// Apache's close_listeners (event) and prefork's graceful restart: the stopping child's
    /// idle threads show <c>G</c> (gracefully finishing), not <c>_</c>, until they exit. Only
    /// this process's entries that are READY change, by compare-and-swap, so a thread that
    /// just took a connection keeps its busy state (it sets G itself when it is done).
    /// </summary>
    private void MarkIdleWorkersGraceful()
    {
        Scoreboard.Scoreboard board = Context.Board;
        int pid = Environment.ProcessId;
        for (int t = 0; t < board.ThreadLimit; t++)
        {
            ref WorkerScore w = ref board.Worker(Context.Slot, t);
            if (Volatile.Read(ref w.Pid) == pid)
            {
                Interlocked.CompareExchange(ref w.Status, ScoreState.Graceful, ScoreState.Ready);
            }
        }
    }

    /// <summary>
    /// A worker thread between connections shows <c>_</c>, or <c>G</c> once its child stops
    /// gracefully. The flag is read after the entry is written, with a full fence between:
    /// BeginGracefulStop sets the flag and then turns this process's <c>_</c> entries into
    /// <c>G</c>, so whichever of the two runs second sees the other's write, and no idle thread
    /// of a stopping child is left showing <c>_</c> (a thread that read the flag just before it
    /// was set, or attached just after the pass, would otherwise be).
    /// </summary>
    protected void ShowIdle(WorkerSlotWriter writer)
    {
        writer.SetStatus(ScoreState.Ready);
        Interlocked.MemoryBarrier();
        if (IsGraceful)
        {
            writer.ReplaceStatus(ScoreState.Ready, ScoreState.Graceful);
        }
    }

    /// <summary>The MPM's child_main after the shared start: serves until the child must exit.</summary>
    protected abstract int ChildMain();

    /// <summary>
    /// The main thread of a threaded child: watches the pipe of death and the generation until
    /// the child stops gracefully; once a second it also looks whether the child has gone idle
    /// after serving, and then gives memory back (<see cref="IdleRelease"/>).
    /// </summary>
    protected void WaitUntilGraceful()
    {
        var pod = new FdPoll([Context.Pod.ReadFd]);
        var idle = new IdleRelease(Context);
        while (!IsGraceful)
        {
            if ((pod.Wait(1000) > 0 && CheckPipeOfDeath()) || (!Context.OneProcess && Context.GenerationIsStale))
            {
                BeginGracefulStop();
            }
            else
            {
                idle.Tick();
            }
        }
    }

    /// <summary>
    /// Whether the scoreboard's process entry of this slot is still this process's: a worker
    /// child that stops while finishing requests may see a newer child take its slot over,
    /// after which the entry (pid, quiescing, ...) is the newer child's to write.
    /// </summary>
    protected bool OwnsProcessEntry =>
        Context.OneProcess || Volatile.Read(ref Context.Board.Process(Context.Slot).Pid) == Environment.ProcessId;

    /// <summary>
    /// Closes this child's copies of the listening sockets (never the parent's: they stay
    /// open across a graceful restart) and tells the parent so through the scoreboard.
    /// </summary>
    protected void CloseListeners()
    {
        if (!Context.OneProcess)
        {
            Context.Listeners.Close();
        }

        if (OwnsProcessEntry)
        {
            Context.Board.Process(Context.Slot).ListenersClosed = 1;
        }
    }

    protected long NextConnectionId() => Interlocked.Increment(ref _nextConnectionId);

    /// <summary>Logs a failure of work a worker ran for a connection (the child goes on).</summary>
    protected void ReportFailure(Exception e) =>
        Context.Log.Write(LogLevel.Error, Context.Module, "PL00101: connection handler failed: " + e.Message);

    /// <summary>True when the pipe of death says stop (a byte, or end of stream because the parent closed it).</summary>
    protected bool CheckPipeOfDeath()
    {
        int r = Context.Pod.TryRead();
        return r >= 0;
    }

    /// <summary>
    /// Serves <paramref name="conn"/> on this thread until it closes: requests, keep-alive waits
    /// (scoreboard K, the thread stays with the connection) and the lingering close (C).
    /// </summary>
    /// <param name="conn">The connection.</param>
    /// <param name="status">This thread's scoreboard entry.</param>
    /// <param name="waiting">Called before each wait on the connection's client (the worker MPM's
    /// queue then stops counting this thread as coming back soon).</param>
    protected void ServeOnThisThread(SocketConnection conn, ScoreboardWorkerStatus status, Action? waiting = null)
    {
        status.Writer.ConnectionStarted(conn.RemoteEndPoint.Address);
        conn.Status = status;
        conn.DrainRequested = DrainProbe;
        try
        {
            while (true)
            {
                status.Writer.SetStatus(ScoreState.BusyRead);
                ConnectionStep step;
                try
                {
                    step = Context.Handler.Serve(conn);
                }
                catch (Exception e)
                {
                    // The handler must never throw; if it does the connection is lost, not the child.
                    Context.Log.Write(LogLevel.Error, Context.Module, "PL00101: connection handler failed: " + e.Message);
                    step = ConnectionStep.Close;
                }

                if (step == ConnectionStep.ResumeWhenWritten)
                {
                    continue; // nothing is ever set aside here: serve the buffered request now
                }

                if (step == ConnectionStep.WaitForInput)
                {
                    // The rest of the request head is late: this thread waits for it (scoreboard R),
                    // as Apache's prefork and worker do, until the handler's deadline.
                    waiting?.Invoke();
                    WaitForInput(conn);
                    continue;
                }

                // A stopping child keeps waiting too (see WaitForNextRequest): the handler answers
                // the next request with Connection: close and the connection ends after it.
                if (step != ConnectionStep.WaitForNextRequest)
                {
                    break;
                }

                status.Writer.SetStatus(ScoreState.BusyKeepAlive);
                waiting?.Invoke();
                if (!WaitForNextRequest(conn))
                {
                    break;
                }
            }

            status.Writer.SetStatus(ScoreState.Closing);
            if (!conn.CloseIfClientSentAll())
            {
                waiting?.Invoke();
                conn.LingeringClose();
            }
        }
        finally
        {
            conn.Dispose();
        }
    }

    /// <summary>Waits until the connection is readable or its <see cref="Connection.InputDeadline"/> passes.</summary>
    private static void WaitForInput(SocketConnection conn)
    {
        long left = conn.InputDeadline - Environment.TickCount64;
        if (left > 0)
        {
            conn.WaitReadable((int)Math.Min(left, int.MaxValue));
        }
    }

    /// <summary>
    /// Waits for the next request for at most KeepAliveTimeout, also when the child is stopping:
    /// a request may already be on its way on an idle keep-alive connection, and no look at the
    /// socket can see bytes still in the client's or the network's buffers, so closing it early
    /// would fail that request (a reset, or an end of stream in place of the response). Running
    /// out KeepAliveTimeout is the close every client already handles; a request that comes
    /// first is answered with Connection: close (<see cref="Connection.IsDraining"/>).
    /// </summary>
    private static bool WaitForNextRequest(SocketConnection conn)
    {
        long left = (long)conn.KeepAliveTimeout.TotalMilliseconds;
        // One blocking recv (SocketConnection.WaitForNextInput), not a poll and a recv.
        return left > 0 && conn.WaitForNextInput((int)Math.Min(left, int.MaxValue));
    }

    private void InstallSignals()
    {
        // Apache's children: SIGTERM and SIGHUP end the process at once (hard stop/restart),
        // SIGUSR1 means "finish and exit" (prefork graceful), SIGINT is the parent's business.
        Sys.UnignoreSignals(Sys.SIGTERM, Sys.SIGHUP, Sys.SIGUSR1);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnExitNow);
        _hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnExitNow);
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, static c => c.Cancel = true);
        _usr1 = PosixSignalRegistration.Create((PosixSignal)Sys.SIGUSR1, c =>
        {
            c.Cancel = true;
            BeginGracefulStop();
        });
    }

    private void OnExitNow(PosixSignalContext c)
    {
        c.Cancel = true;
        if (OwnsProcessEntry)
        {
            Context.Board.Process(Context.Slot).Quiescing = 1;
        }

        Environment.Exit(0);
    }
}
