using System.Collections.Generic;

namespace Pluma.Mpm.Common;

/// <summary>What worker and event share: ThreadLimit, ThreadsPerChild and the spare-thread band.</summary>
public abstract record ThreadedMpmSettings : MpmSettings
{
    protected ThreadedMpmSettings()
    {
        StartServers = MpmDefaults.ThreadedStartServers;
        ServerLimit = MpmDefaults.ThreadedServerLimit;
        MaxRequestWorkers = MpmDefaults.ThreadedServerLimit * MpmDefaults.ThreadsPerChild;
    }

    public int ThreadLimit { get; init; } = MpmDefaults.ThreadLimit;

    public int ThreadsPerChild { get; init; } = MpmDefaults.ThreadsPerChild;

    public int MinSpareThreads { get; init; } = MpmDefaults.MinSpareThreads;

    public int MaxSpareThreads { get; init; } = MpmDefaults.MaxSpareThreads;

    public override int CompiledMaxRequestWorkers => ServerLimit * ThreadsPerChild;

    public override int Threads => ThreadsPerChild;

    public override int ThreadSlots => ThreadLimit;

    /// <summary>
    /// MaxRequestWorkers / ThreadsPerChild, capped at ServerLimit. Apache caps only this number
    /// when MaxRequestWorkers needs more servers than ServerLimit and keeps MaxRequestWorkers itself
    /// (server/mpm/event/event.c and worker.c *_check_config), so AH03490 rather than AH00484 shows up in that case.
    /// With B listener buckets it is at least B (worker_run/event_run: one child per bucket).
    /// </summary>
    public override int MaxDaemons => Math.Max(Math.Max(1, ListenBuckets), Math.Min(MaxRequestWorkers / Math.Max(1, ThreadsPerChild), ServerLimit));

    /// <summary>
    /// Debian's mods-available/mpm_event.conf and mpm_worker.conf (the same lines) on top of
    /// <paramref name="compiledDefaults"/>: each MPM's <c>Debian</c> preset.
    /// </summary>
    protected static T DebianPreset<T>(T compiledDefaults)
        where T : ThreadedMpmSettings =>
        (T)(compiledDefaults with
        {
            StartServers = 2,
            MinSpareThreads = 25,
            MaxSpareThreads = 75,
            ThreadLimit = 64,
            ThreadsPerChild = 25,
            MaxRequestWorkers = 150,
            MaxConnectionsPerChild = 0,
        });

    /// <summary>MAX_THREAD_LIMIT of this MPM.</summary>
    protected abstract int MaxThreadLimit { get; }

    public override MpmSettings AdjustForRun(int buckets = 1)
    {
        // event_run/worker_run, silently: MaxDaemons >= B and StartServers >= B (one child per
        // bucket), MinSpareThreads >= TPC*(B-1)+B (enough for B children),
        // MaxSpareThreads >= MinSpareThreads + (TPC+1)*B (a margin of one child and one thread
        // per bucket before any is stopped), then StartServers capped at MaxDaemons.
        int b = Math.Max(1, buckets);
        var run = this with { ListenBuckets = b };
        int minSpare = Math.Max(MinSpareThreads, (ThreadsPerChild * (b - 1)) + b);
        int maxSpare = Math.Max(MaxSpareThreads, minSpare + ((ThreadsPerChild + 1) * b));
        int startServers = Math.Max(Math.Max(StartServers, 1), b);
        return run with { MinSpareThreads = minSpare, MaxSpareThreads = maxSpare, StartServers = Math.Min(startServers, run.MaxDaemons) };
    }

    public override int Query(MpmQuery query) => query switch
    {
        MpmQuery.IsThreaded => MpmQueryAnswer.Static,
        MpmQuery.IsForked => MpmQueryAnswer.Dynamic,
        MpmQuery.HardLimitDaemons => ServerLimit,
        MpmQuery.HardLimitThreads => ThreadLimit,
        MpmQuery.MaxThreads => ThreadsPerChild,
        MpmQuery.MinSpareThreads => MinSpareThreads,
        MpmQuery.MaxSpareThreads => MaxSpareThreads,
        MpmQuery.MaxRequestsDaemon => MaxConnectionsPerChild,
        MpmQuery.MaxDaemons => MaxDaemons,
        _ => 0,
    };

    protected internal override IEnumerable<(string Key, string Value)> Values()
    {
        foreach (var kv in base.Values())
        {
            yield return kv;
        }

        yield return ("ThreadLimit", N(ThreadLimit));
        yield return ("ThreadsPerChild", N(ThreadsPerChild));
        yield return ("MinSpareThreads", N(MinSpareThreads));
        yield return ("MaxSpareThreads", N(MaxSpareThreads));
    }
}
