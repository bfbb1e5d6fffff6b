using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace Pluma.Scoreboard;

/// <summary>
/// Everything mod_status shows, read from the scoreboard at one moment, counted by Apache's
/// rules (mod_status.c, reference section 5.2): the letters string, Busy/Idle/Graceful workers,
/// Processes/Stopping, connection counters and the ExtendedStatus totals.
/// </summary>
public sealed class ScoreboardSnapshot
{
    private ScoreboardSnapshot()
    {
    }

    public string MpmName { get; private init; } = string.Empty;

    public int ServerLimit { get; private init; }

    public int ThreadLimit { get; private init; }

    public int MaxDaemons { get; private init; }

    public int ThreadsPerChild { get; private init; }

    /// <summary>MaxRequestWorkers in force, as the parent wrote it (0 when unknown).</summary>
    public int MaxRequestWorkers { get; private init; }

    /// <summary>ServerLimit as configured; <see cref="ServerLimit"/> when the parent did not say.</summary>
    public int ConfiguredServerLimit { get; private init; }

    /// <summary>ThreadLimit as configured; <see cref="ThreadLimit"/> when the parent did not say.</summary>
    public int ConfiguredThreadLimit { get; private init; }

    /// <summary>ParentServerMPMGeneration.</summary>
    public int RunningGeneration { get; private init; }

    /// <summary>ParentServerConfigGeneration.</summary>
    public int ConfigGeneration { get; private init; }

    /// <summary>Unix microseconds of the last start or hard restart.</summary>
    public long RestartTime { get; private init; }

    /// <summary>The <c>Scoreboard:</c> line: one letter per printed slot.</summary>
    public string Letters { get; private init; } = string.Empty;

    public int BusyWorkers { get; private init; }

    public int IdleWorkers { get; private init; }

    public int GracefulWorkers { get; private init; }

    /// <summary>Process slots with a pid (event's <c>Processes:</c>).</summary>
    public int Processes { get; private init; }

    /// <summary>Quiescing processes (event's <c>Stopping:</c>).</summary>
    public int Stopping { get; private init; }

    public long ConnsTotal { get; private init; }

    public long ConnsAsyncWriting { get; private init; }

    public long ConnsAsyncKeepAlive { get; private init; }

    public long ConnsAsyncClosing { get; private init; }

    public long ConnsAsyncWaitIo { get; private init; }

    /// <summary>Total Accesses (ExtendedStatus).</summary>
    public long TotalAccesses { get; private init; }

    /// <summary>Total bytes; mod_status prints kBytes = this / 1024.</summary>
    public long TotalBytes { get; private init; }

    /// <summary>Total Duration in microseconds (mod_status prints milliseconds).</summary>
    public long TotalDuration { get; private init; }

    public IReadOnlyList<ProcessInfo> ProcessSlots { get; private init; } = [];

    /// <summary>Slots that are printed (in Letters order).</summary>
    public IReadOnlyList<WorkerInfo> Workers { get; private init; } = [];

    internal static ScoreboardSnapshot Take(Scoreboard board)
    {
        ref GlobalScore g = ref board.Global;
        int maxDaemons = g.MaxDaemons > 0 ? g.MaxDaemons : board.ServerLimit;
        int tpc = g.ThreadsPerChild > 0 ? g.ThreadsPerChild : board.ThreadLimit;
        int generation = Volatile.Read(ref g.RunningGeneration);
        var letters = new StringBuilder(maxDaemons * tpc);
        var workers = new List<WorkerInfo>(maxDaemons * tpc);
        var processes = new List<ProcessInfo>();
        int busy = 0, idle = 0, graceful = 0, procs = 0, stopping = 0;
        long connsTotal = 0, writing = 0, keepAlive = 0, closing = 0, waitIo = 0;
        long accesses = 0, bytes = 0, duration = 0;
        for (int i = 0; i < board.ServerLimit; i++)
        {
            ref ProcessScore ps = ref board.Process(i);
            int pid = Volatile.Read(ref ps.Pid);
            bool quiescing = ps.Quiescing != 0;
            int pBusy = 0, pGraceful = 0, pIdle = 0;
            for (int j = 0; j < board.ThreadLimit; j++)
            {
                ref WorkerScore ws = ref board.Worker(i, j);
                byte st = Volatile.Read(ref ws.Status);
                accesses += ws.AccessCount;
                bytes += ws.BytesServed;
                duration += ws.Duration;
                if ((i >= maxDaemons || j >= tpc) && st == ScoreState.Dead)
                {
                    continue;
                }

                letters.Append(ScoreState.Letter(st));
                workers.Add(new WorkerInfo(
                    i, j, st, ws.Pid, ws.Generation, ws.ConnCount, ws.MyAccessCount, ws.AccessCount,
                    ws.ConnBytes, ws.MyBytesServed, ws.BytesServed, ws.StartTime, ws.StopTime, ws.LastUsed, ws.Duration,
                    Scoreboard.ReadAscii(ws.Client), Scoreboard.ReadAscii(ws.Request),
                    Scoreboard.ReadAscii(ws.Vhost), Scoreboard.ReadAscii(ws.Protocol)));
                if (pid == 0 || quiescing)
                {
                    continue;
                }

                // mod_status: READY of the running generation is idle, G is graceful, everything
                // else that is alive (not DEAD, STARTING or IDLE_KILL) is busy.
                if (st == ScoreState.Ready)
                {
                    if (ps.Generation == generation)
                    {
                        idle++;
                        pIdle++;
                    }
                }
                else if (st == ScoreState.Graceful)
                {
                    graceful++;
                    pGraceful++;
                }
                else if (st != ScoreState.Dead && st != ScoreState.Starting && st != ScoreState.IdleKill)
                {
                    busy++;
                    pBusy++;
                }
            }

            if (pid != 0)
            {
                procs++;
                if (quiescing)
                {
                    stopping++;
                }

                connsTotal += ps.Connections;
                writing += ps.WriteCompletion;
                keepAlive += ps.KeepAlive;
                closing += ps.LingeringClose;
                waitIo += ps.WaitIo;
                processes.Add(new ProcessInfo(i, pid, ps.Generation, quiescing, ps.NotAccepting != 0, ps.Connections,
                    ps.WriteCompletion, ps.KeepAlive, ps.LingeringClose, ps.Suspended, ps.WaitIo, pBusy, pGraceful, pIdle)
                {
                    ListenersClosed = ps.ListenersClosed != 0,
                    StartTime = ps.StartTime,
                    Queued = ps.Queued,
                });
            }
        }

        return new ScoreboardSnapshot
        {
            MpmName = board.MpmName,
            ServerLimit = board.ServerLimit,
            ThreadLimit = board.ThreadLimit,
            MaxDaemons = maxDaemons,
            ThreadsPerChild = tpc,
            MaxRequestWorkers = g.MaxRequestWorkers,
            ConfiguredServerLimit = g.ConfiguredServerLimit > 0 ? g.ConfiguredServerLimit : board.ServerLimit,
            ConfiguredThreadLimit = g.ConfiguredThreadLimit > 0 ? g.ConfiguredThreadLimit : board.ThreadLimit,
            RunningGeneration = generation,
            ConfigGeneration = g.ConfigGeneration,
            RestartTime = g.RestartTime,
            Letters = letters.ToString(),
            BusyWorkers = busy,
            IdleWorkers = idle,
            GracefulWorkers = graceful,
            Processes = procs,
            Stopping = stopping,
            ConnsTotal = connsTotal,
            ConnsAsyncWriting = writing,
            ConnsAsyncKeepAlive = keepAlive,
            ConnsAsyncClosing = closing,
            ConnsAsyncWaitIo = waitIo,
            TotalAccesses = accesses,
            TotalBytes = bytes,
            TotalDuration = duration,
            ProcessSlots = processes,
            Workers = workers,
        };
    }
}
