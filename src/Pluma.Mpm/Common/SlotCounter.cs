using Pluma.Scoreboard;

namespace Pluma.Mpm.Common;

/// <summary>Apache's counting rules over one process slot's thread states.</summary>
public static class SlotCounter
{
    /// <summary>
    /// Counts a process's threads as event/worker maintenance does: a thread is idle if its
    /// state is DEAD, STARTING or READY (STARTING counts as idle so a starting child is not
    /// doubled) and the process is of the current generation, not quiescing and (event)
    /// accepting; it is active if READY &lt;= state &lt; GRACEFUL. The entries are described even
    /// without a process: a child that lost its slot to a new one may still hold some of them.
    /// </summary>
    public static SlotSummary Count(ReadOnlySpan<byte> states, bool hasProcess, bool quiescing, bool notAccepting, bool currentGeneration, int bucket = 0)
    {
        bool eligible = hasProcess && !quiescing && !notAccepting && currentGeneration;
        int idle = 0, active = 0, occupied = 0, running = 0;
        foreach (byte st in states)
        {
            if (eligible && st <= ScoreState.Ready)
            {
                idle++;
            }

            if (hasProcess && st >= ScoreState.Ready && st < ScoreState.Graceful)
            {
                active++;
            }

            if (st != ScoreState.Dead)
            {
                occupied++;
                if (st != ScoreState.Graceful)
                {
                    running++;
                }
            }
        }

        return new SlotSummary(hasProcess, idle, active, hasProcess && quiescing, occupied, running, bucket);
    }

    /// <summary>prefork: a process is idle when its one slot is STARTING or READY; generations are ignored.</summary>
    public static SlotSummary CountPrefork(byte state, bool hasProcess)
    {
        if (!hasProcess || state == ScoreState.Dead)
        {
            return SlotSummary.Free;
        }

        bool idle = state <= ScoreState.Ready;
        return new SlotSummary(true, idle ? 1 : 0, state >= ScoreState.Ready && state < ScoreState.Graceful ? 1 : 0, false);
    }

    /// <summary>Reads the first <paramref name="slots"/> process slots of a threaded MPM's scoreboard into summaries (<see cref="Count"/>).</summary>
    public static SlotSummary[] ReadThreads(Scoreboard.Scoreboard board, int slots, int threadsPerChild)
    {
        var result = new SlotSummary[slots];
        int generation = board.Global.RunningGeneration;
        Span<byte> states = stackalloc byte[Math.Min(threadsPerChild, board.ThreadLimit)];
        for (int i = 0; i < slots; i++)
        {
            ref ProcessScore ps = ref board.Process(i);
            for (int t = 0; t < states.Length; t++)
            {
                states[t] = board.Worker(i, t).Status;
            }

            result[i] = Count(states, ps.Pid != 0, ps.Quiescing != 0, ps.NotAccepting != 0, ps.Generation == generation, ps.Bucket);
        }

        return result;
    }

    /// <summary>Reads the first <paramref name="slots"/> process slots of prefork's scoreboard into summaries (<see cref="CountPrefork"/>).</summary>
    public static SlotSummary[] ReadProcesses(Scoreboard.Scoreboard board, int slots)
    {
        var result = new SlotSummary[slots];
        for (int i = 0; i < slots; i++)
        {
            result[i] = CountPrefork(board.Worker(i, 0).Status, board.Process(i).Pid != 0);
        }

        return result;
    }
}
