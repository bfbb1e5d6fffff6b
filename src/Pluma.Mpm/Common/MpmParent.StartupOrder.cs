using System.Collections.Generic;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Scoreboard;

namespace Pluma.Mpm.Common;

/// <content>
/// The order in which a start execs its StartServers children. Apache forks them all at once,
/// each a cheap copy of the parent; Pluma's children are exec'd and each spends tens of
/// milliseconds of CPU getting ready (bench/README.md, "Start order"), so five at once on two
/// cores make the first answer wait for all of them. The parent starts a first batch (one child
/// per CPU, at least one per listener bucket), and the rest as soon as a child of the batch
/// serves, or has exited, or <see cref="StartupHoldMs"/> has passed: the same StartServers
/// children, all running well before the first maintenance pass.
/// </content>
public sealed partial class MpmParent
{
    /// <summary>The longest the rest of a start's children wait for the first batch.</summary>
    internal const int StartupHoldMs = 250;

    private readonly List<int> _startupBatch = [];
    private int _startupHeld;
    private long _startupHoldUntil;

    /// <summary>A start's children not exec'd yet: maintenance waits for them.</summary>
    private bool StartupHeld => _startupHeld > 0;

    private void StartupChildren(int count)
    {
        int batch = Math.Min(count, FirstBatchSize(_bucketCount, Environment.ProcessorCount));
        _startupBatch.Clear();
        StartInFreeSlots(batch, _startupBatch);
        _startupHeld = count - batch;
        _startupHoldUntil = Environment.TickCount64 + StartupHoldMs;
        ReleaseHeldStartups();
    }

    /// <summary>
    /// As many children as there are CPUs get one each; one per listener bucket, so that no
    /// bucket's connections wait for the rest.
    /// </summary>
    internal static int FirstBatchSize(int buckets, int cpus) => Math.Max(Math.Max(buckets, cpus), 1);

    /// <summary>Starts the rest of a start's children once the first batch serves (or the hold is over).</summary>
    private void ReleaseHeldStartups()
    {
        if (_startupHeld == 0)
        {
            return;
        }

        bool serving = BatchServing();
        long now = Environment.TickCount64;
        if (!serving && now < _startupHoldUntil)
        {
            return;
        }

        int held = _startupHeld;
        _startupHeld = 0;
        if (_log.IsEnabled(LogLevel.Debug, Module))
        {
            long waited = now - (_startupHoldUntil - StartupHoldMs);
            string why = serving ? $"a child of the first {_startupBatch.Count} serves after {waited} ms" : $"the first {_startupBatch.Count} did not serve within {StartupHoldMs} ms";
            _log.Write(LogLevel.Debug, Module, $"PL00515: starting the other {held} of StartServers' children: {why}");
        }

        StartInFreeSlots(held, null);
    }

    /// <summary>A graceful restart replaces the children one for one instead (<see cref="StartRemaining"/>).</summary>
    private void DropHeldStartups() => _startupHeld = 0;

    /// <summary>Whether a child of the first batch has a worker ready or busy, or none of them is left to wait for.</summary>
    private bool BatchServing()
    {
        Scoreboard.Scoreboard board = _board!;
        bool waiting = false;
        foreach (int slot in _startupBatch)
        {
            if (_children[slot] is null)
            {
                continue;
            }

            waiting = true;
            for (int t = 0; t < _settings.Threads; t++)
            {
                byte st = Volatile.Read(ref board.Worker(slot, t).Status);
                if (st >= ScoreState.Ready && st < ScoreState.Graceful)
                {
                    return true;
                }
            }
        }

        return !waiting;
    }

    private void StartInFreeSlots(int count, List<int>? started)
    {
        for (int slot = 0; slot < Math.Min(_settings.ServerLimit, _children.Length) && count > 0; slot++)
        {
            if (_children[slot] is null)
            {
                MakeChild(slot, BucketFor(slot));
                started?.Add(slot);
                count--;
            }
        }
    }
}
