using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;
using Pluma.Scoreboard;

namespace Pluma.Mpm.Worker;

/// <content>
/// worker.c's start_threads: a worker child may have been started in a slot whose previous
/// child is still finishing requests (the parent's takeover of a stopping child's slot), so
/// it starts a worker only in a thread entry that is DEAD, starts the listener as soon as it
/// has one worker, and looks again every second for the entries the old child releases until
/// all ThreadsPerChild run or the child stops.
/// </content>
internal sealed partial class WorkerChild
{
    // Apache's start thread reports a slow takeover every 120 rounds (about two minutes).
    private const int SlowTakeoverReportRounds = 120;

    private readonly Thread?[] _workers;
    private readonly ManualResetEventSlim _stopping = new(false);
    private Thread? _listener;

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
                var worker = new Thread(() => WorkerThread(index)) { Name = "mpm-worker", IsBackground = true };
                _workers[i] = worker;
                worker.Start();
                created++;
            }

            if (_listener is null && created > 0 && !IsGraceful)
            {
                // The listener starts once a worker is there to take what it accepts.
                _listener = new Thread(ListenerThread) { Name = "mpm-listener", IsBackground = true };
                _listener.Start();
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
}
