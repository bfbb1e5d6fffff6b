using System.Threading;

namespace Pluma.Scoreboard;

/// <summary>
/// The load the parent sees once a second, kept in the scoreboard's global part so that it
/// outlives any reader (<c>pluma -k advise</c> reads it, possibly much later): peak busy workers,
/// peak open connections, and sums from which the keep-alive share and mean load follow.
/// One writer (the parent's maintenance loop), so plain stores suffice.
/// </summary>
public static class LoadObserver
{
    /// <summary>Counts the live slots now and folds them into the global observations.</summary>
    public static void Record(Scoreboard board, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(board);
        int busy = 0, keepAliveWorkers = 0;
        long parked = 0, open = 0;
        for (int i = 0; i < board.ServerLimit; i++)
        {
            ref ProcessScore ps = ref board.Process(i);
            if (Volatile.Read(ref ps.Pid) == 0)
            {
                continue;
            }

            // Every generation counts: a draining child still carries part of the load.
            for (int j = 0; j < board.ThreadLimit; j++)
            {
                byte st = Volatile.Read(ref board.Worker(i, j).Status);
                if (st > ScoreState.Ready && st < ScoreState.Graceful)
                {
                    busy++;
                    if (st == ScoreState.BusyKeepAlive)
                    {
                        keepAliveWorkers++;
                    }
                }
            }

            // event: connections parked without a worker, and all the child's open connections.
            parked += Math.Max(0, ps.KeepAlive);
            open += Math.Max(0, ps.Connections);
        }

        Fold(ref board.Global, busy, (int)Math.Min(int.MaxValue, Math.Max(open, busy + parked)), keepAliveWorkers + parked, nowMicros);
    }

    /// <summary>Adds one tick's counts (separate from the scan so the arithmetic is testable).</summary>
    public static void Fold(ref GlobalScore g, int busy, int connections, long keepAlive, long nowMicros)
    {
        if (g.LoadSamples == 0)
        {
            g.ObservedSince = nowMicros;
        }

        g.LoadSamples++;
        g.BusySamples += busy;
        g.ConnectionSamples += connections;
        g.KeepAliveSamples += Math.Min(keepAlive, connections);
        if (busy > g.PeakBusyWorkers)
        {
            g.PeakBusyWorkers = busy;
            g.PeakTime = nowMicros;
        }

        g.PeakConnections = Math.Max(g.PeakConnections, connections);
    }
}
