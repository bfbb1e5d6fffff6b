using System.Net;
using Pluma.Connections;
using Pluma.Scoreboard;

namespace Pluma.Mpm.Common;

/// <summary>
/// A threaded child's workers as <see cref="IWorkerPool"/>: work goes to an idle worker through
/// the child's queue (mod_http2's h2_workers over the MPM's threads, which Apache sizes from
/// ThreadsPerChild), and <see cref="RunSecondary"/> runs it in that worker's scoreboard slot.
/// </summary>
internal sealed class ChildWorkerPool<T> : IWorkerPool
    where T : class
{
    private readonly WorkQueue<T> _queue;

    public ChildWorkerPool(WorkQueue<T> queue, int size)
    {
        _queue = queue;
        Size = size;
    }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public bool TryStart(IPAddress client, Action<IWorkerStatus> work) => _queue.TryPushSecondary(new SecondaryWork(client, work));

    /// <summary>A worker runs secondary work it took from the queue, its slot busy (W) and showing the client meanwhile.</summary>
    public static void RunSecondary(SecondaryWork work, ScoreboardWorkerStatus status, Action<Exception> failed)
    {
        status.Writer.ConnectionStarted(work.Client);
        status.Writer.SetStatus(ScoreState.BusyWrite);
        try
        {
            work.Run(status);
        }
        catch (Exception e)
        {
            // The work must never throw; if it does the stream is lost, not the worker.
            failed(e);
        }
    }
}
