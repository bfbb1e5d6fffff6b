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

    public override int Threads => ThreadsPerChild;

    public override int ThreadSlots => ThreadLimit;

    /// <summary>
    /// MaxRequestWorkers / ThreadsPerChild, capped at ServerLimit. Apache caps only this number
    /// when MaxRequestWorkers needs more servers than ServerLimit and keeps MaxRequestWorkers itself
    /// (reference 8.1), so AH03490 rather than AH00484 shows up in that case.
    /// With B listener buckets it is at least B (worker_run/event_run: one child per bucket).
    /// </summary>
    public override int MaxDaemons => Math.Max(Math.Max(1, ListenBuckets), Math.Min(MaxRequestWorkers / Math.Max(1, ThreadsPerChild), ServerLimit));

    /// <summary>MAX_THREAD_LIMIT of this MPM.</summary>
    protected abstract int MaxThreadLimit { get; }

    /// <summary>The first of this MPM's 24 consecutive check_config AH numbers (event 00497, worker 00300).</summary>
    protected abstract int AhBase { get; }

    public override MpmConfigCheck CheckConfig(bool startup, MpmSettings? running = null)
    {
        var w = new List<string>();
        string A(int i) => Ah(AhBase + i);
        int sl = ServerLimit, tl = ThreadLimit, tpc = ThreadsPerChild, mrw = MaxRequestWorkers;
        int ss = StartServers, minSpare = MinSpareThreads;
        const int maxSl = MpmDefaults.ThreadedMaxServerLimit;
        int maxTl = MaxThreadLimit;
        if (sl > maxSl)
        {
            w.Add(startup
                ? A(0) + $"WARNING: ServerLimit of {sl} exceeds compile-time limit of {maxSl} servers, decreasing to {maxSl}."
                : A(1) + $"ServerLimit of {sl} exceeds compile-time limit of {maxSl}, decreasing to match");
            sl = maxSl;
        }
        else if (sl < 1)
        {
            w.Add(startup ? A(2) + $"WARNING: ServerLimit of {sl} not allowed, increasing to 1." : A(3) + $"ServerLimit of {sl} not allowed, increasing to 1");
            sl = 1;
        }

        if (!startup && running is not null && sl != running.ServerLimit)
        {
            w.Add(A(4) + $"changing ServerLimit to {sl} from original value of {running.ServerLimit} not allowed during restart");
            sl = running.ServerLimit;
        }

        if (tl > maxTl)
        {
            w.Add(startup
                ? A(5) + $"WARNING: ThreadLimit of {tl} exceeds compile-time limit of {maxTl} threads, decreasing to {maxTl}."
                : A(6) + $"ThreadLimit of {tl} exceeds compile-time limit of {maxTl}, decreasing to match");
            tl = maxTl;
        }
        else if (tl < 1)
        {
            w.Add(startup ? A(7) + $"WARNING: ThreadLimit of {tl} not allowed, increasing to 1." : A(8) + $"ThreadLimit of {tl} not allowed, increasing to 1");
            tl = 1;
        }

        if (!startup && running is ThreadedMpmSettings r && tl != r.ThreadLimit)
        {
            w.Add(A(9) + $"changing ThreadLimit to {tl} from original value of {r.ThreadLimit} not allowed during restart");
            tl = r.ThreadLimit;
        }

        if (tpc > tl)
        {
            w.Add(startup
                ? A(10) + $"WARNING: ThreadsPerChild of {tpc} exceeds ThreadLimit of {tl} threads, decreasing to {tl}. To increase, please see the ThreadLimit directive."
                : A(11) + $"ThreadsPerChild of {tpc} exceeds ThreadLimit of {tl}, decreasing to match");
            tpc = tl;
        }
        else if (tpc < 1)
        {
            w.Add(startup ? A(12) + $"WARNING: ThreadsPerChild of {tpc} not allowed, increasing to 1." : A(13) + $"ThreadsPerChild of {tpc} not allowed, increasing to 1");
            tpc = 1;
        }

        if (mrw < tpc)
        {
            w.Add(startup
                ? A(14) + $"WARNING: MaxRequestWorkers of {mrw} is less than ThreadsPerChild of {tpc}, increasing to {tpc}. MaxRequestWorkers must be at least as large as the number of threads in a single server."
                : A(15) + $"MaxRequestWorkers of {mrw} is less than ThreadsPerChild of {tpc}, increasing to match");
            mrw = tpc;
        }

        int maxDaemons = mrw / tpc;
        if (mrw % tpc != 0)
        {
            int multiple = maxDaemons * tpc;
            w.Add(startup
                ? A(16) + $"WARNING: MaxRequestWorkers of {mrw} is not an integer multiple of ThreadsPerChild of {tpc}, decreasing to nearest multiple {multiple}, for a maximum of {maxDaemons} servers."
                : A(17) + $"MaxRequestWorkers of {mrw} is not an integer multiple of ThreadsPerChild of {tpc}, decreasing to nearest multiple {multiple}");
            mrw = multiple;
        }

        if (maxDaemons > sl)
        {
            w.Add(startup
                ? A(18) + $"WARNING: MaxRequestWorkers of {mrw} would require {maxDaemons} servers and would exceed ServerLimit of {sl}, decreasing to {sl * tpc}. To increase, please see the ServerLimit directive."
                : A(19) + $"MaxRequestWorkers of {mrw} would require {maxDaemons} servers and exceed ServerLimit of {sl}, decreasing to {sl * tpc}");
            // Only the process limit drops (MaxDaemons caps at ServerLimit); MaxRequestWorkers stays.
        }

        if (ss < 1)
        {
            w.Add(startup ? A(20) + $"WARNING: StartServers of {ss} not allowed, increasing to 1." : A(21) + $"StartServers of {ss} not allowed, increasing to 1");
            ss = 1;
        }

        if (minSpare < 1)
        {
            w.Add(startup
                ? A(22) + $"WARNING: MinSpareThreads of {minSpare} not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation."
                : A(23) + $"MinSpareThreads of {minSpare} not allowed, increasing to 1");
            minSpare = 1;
        }

        return new MpmConfigCheck(
            this with { ServerLimit = sl, ThreadLimit = tl, ThreadsPerChild = tpc, MaxRequestWorkers = mrw, StartServers = ss, MinSpareThreads = minSpare }, w);
    }

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

    protected override IEnumerable<(string Key, string Value)> Values()
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
