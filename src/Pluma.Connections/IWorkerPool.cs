using System.Net;

namespace Pluma.Connections;

/// <summary>
/// The child's worker threads as a protocol may borrow them for work that belongs to one
/// connection but can run beside it: HTTP/2 streams (mod_http2's h2_workers, which Apache sizes
/// from the MPM's threads per child, h2_c1.c h2_c1_child_init). The threaded MPMs provide it;
/// prefork has none, and a protocol then does the work on its own thread.
/// </summary>
public interface IWorkerPool
{
    /// <summary>The child's worker threads (ThreadsPerChild): the most that can ever run at once.</summary>
    int Size { get; }

    /// <summary>
    /// Starts <paramref name="work"/> on a worker of this child that is idle right now, passing
    /// that worker's scoreboard slot (which shows <paramref name="client"/>). False when no worker
    /// is idle at this instant: the caller does the work itself or later, never waits for one
    /// (a connection waiting for a worker while holding one could take the child's last).
    /// </summary>
    bool TryStart(IPAddress client, Action<IWorkerStatus> work);
}
