namespace Pluma.Mpm.Common;

/// <summary>
/// Apache's compiled MPM defaults in one place, each with its source (server/mpm/*/mpm_default.h
/// and the MPM sources). Debian's mods-available/mpm_*.conf values are the presets
/// <c>ThreadedMpmSettings.DebianPreset</c> and <c>PreforkSettings.Debian</c>.
/// </summary>
public static class MpmDefaults
{
    // Apache compiled: event.c/worker.c DEFAULT_SERVER_LIMIT 16, MAX_SERVER_LIMIT 20000.
    public const int ThreadedServerLimit = 16;
    public const int ThreadedMaxServerLimit = 20000;
    // Apache compiled: DEFAULT_THREAD_LIMIT 64; MAX_THREAD_LIMIT event 100000, worker 20000.
    public const int ThreadLimit = 64;
    public const int EventMaxThreadLimit = 100000;
    public const int WorkerMaxThreadLimit = 20000;
    // Apache compiled: DEFAULT_THREADS_PER_CHILD 25, DEFAULT_START_DAEMON 3.
    public const int ThreadsPerChild = 25;
    public const int ThreadedStartServers = 3;
    // Apache compiled: DEFAULT_MIN_FREE_DAEMON 3 x 25 threads, DEFAULT_MAX_FREE_DAEMON 10 x 25.
    public const int MinSpareThreads = 75;
    public const int MaxSpareThreads = 250;
    // Apache compiled (event.c): AsyncRequestWorkerFactor 2.
    public const double AsyncRequestWorkerFactor = 2.0;

    // Apache compiled (prefork.c): DEFAULT_SERVER_LIMIT 256, MAX_SERVER_LIMIT 200000,
    // DEFAULT_START_DAEMON 5, DEFAULT_MIN_FREE_DAEMON 5, DEFAULT_MAX_FREE_DAEMON 10.
    public const int PreforkServerLimit = 256;
    public const int PreforkMaxServerLimit = 200000;
    public const int PreforkStartServers = 5;
    public const int MinSpareServers = 5;
    public const int MaxSpareServers = 10;

    // Apache compiled (mpm_common.c): MaxConnectionsPerChild 0 = unlimited;
    // GracefulShutdownTimeout 0 = wait forever; (listen.c) ListenBacklog 511.
    public const int MaxConnectionsPerChild = 0;
    public const int GracefulShutdownTimeout = 0;
    public const int ListenBacklog = 511;

    // Apache (mpm_common.h): the parent's maintenance runs once a second and the spawn rate
    // doubles up to MAX_SPAWN_RATE 32; after a graceful restart doubling waits 10 ticks.
    public const int MaxSpawnRate = 32;
    public const int HoldOffAfterGracefulRestart = 10;
}
