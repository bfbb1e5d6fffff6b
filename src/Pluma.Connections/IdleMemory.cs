using System.Threading;

namespace Pluma.Connections;

/// <summary>
/// What a process may give back once it has gone idle after serving. Apache gives each
/// connection's transaction pool an allocator that frees whatever exceeds MaxMemFree when the
/// pool is cleared (apr_allocator_max_free_set, server/mpm/event/event.c listener_thread); a .NET
/// child instead keeps whatever the GC committed under load, and any per-thread cache it
/// filled, until its next collection, which a child that has stopped allocating never runs.
/// Protocol engines register what they cache for reuse (<see cref="OnRelease"/>); the MPM
/// calls <see cref="Release"/> when its child has gone a while without a request.
/// </summary>
public static class IdleMemory
{
    private static readonly Lock s_gate = new();
    private static Action[] s_releasers = [];

    /// <summary>Adds <paramref name="release"/> to what <see cref="Release"/> runs (it drops cached buffers; it must be thread-safe).</summary>
    public static void OnRelease(Action release)
    {
        ArgumentNullException.ThrowIfNull(release);
        lock (s_gate)
        {
            s_releasers = [.. s_releasers, release];
        }
    }

    /// <summary>
    /// Drops every registered cache, then runs one full compacting collection in aggressive
    /// mode, which returns the freed regions to the kernel.
    /// </summary>
    public static void Release()
    {
        foreach (Action release in Volatile.Read(ref s_releasers))
        {
            release();
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
