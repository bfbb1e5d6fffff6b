using System.Globalization;
using System.IO;
using System.Threading;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;

namespace Pluma.Mpm.Common;

/// <summary>
/// A threaded child's main thread asks this once a tick (about a second) whether the child
/// answered requests since the last tick. After a tick with none that follows some (or
/// follows the child's start, whose threads allocated what they need), the child gives back
/// what the load left: the protocol's cached buffers and the GC's committed but free regions
/// (<see cref="IdleMemory.Release"/>). Apache's allocators do the like each time a connection's
/// pool is cleared (MaxMemFree); doing it once per idle spell keeps collections away from a loaded child
/// (a child that keeps answering never gets here), at the cost of one full collection, a few
/// milliseconds, each time its load stops.
/// </summary>
/// <param name="context">The child.</param>
/// <param name="releasedAtStart">
/// True where the child already collected just before serving and no thread of its own
/// allocates after that (prefork): the first release then waits for a request.
/// </param>
internal sealed class IdleRelease(ChildContext context, bool releasedAtStart = false)
{
    private long _answered = -1;
    private bool _servedSinceRelease = !releasedAtStart;

    public void Tick()
    {
        long answered = Answered();
        if (_answered < 0)
        {
            _answered = answered;
            return;
        }

        if (answered != _answered)
        {
            _answered = answered;
            _servedSinceRelease = true;
            return;
        }

        if (!_servedSinceRelease)
        {
            return;
        }

        _servedSinceRelease = false;
        if (!context.Log.IsEnabled(LogLevel.Debug, context.Module))
        {
            IdleMemory.Release();
            return;
        }

        long heapBefore = GC.GetTotalMemory(forceFullCollection: false), privateBefore = PrivateKiB();
        IdleMemory.Release();
        context.Log.Write(LogLevel.Debug, context.Module,
            $"PL00410: child idle after {answered} requests: GC heap {heapBefore / 1024} KiB -> {GC.GetTotalMemory(false) / 1024} KiB, " +
            $"private memory {privateBefore} KiB -> {PrivateKiB()} KiB; collections since start gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
    }

    /// <summary>The process's pages no other process shares (Private_Dirty of /proc/self/smaps_rollup), in KiB; -1 when unreadable.</summary>
    private static long PrivateKiB()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/smaps_rollup"))
            {
                if (line.StartsWith("Private_Dirty:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(14).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }

    /// <summary>Requests this child's worker slots have answered (scoreboard access counts).</summary>
    private long Answered()
    {
        Scoreboard.Scoreboard board = context.Board;
        long sum = 0;
        for (int t = 0; t < board.ThreadLimit; t++)
        {
            sum += Volatile.Read(ref board.Worker(context.Slot, t).AccessCount);
        }

        return sum;
    }
}
