using System.Collections.Generic;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>prefork: one connection per process. Defaults are Apache's compiled ones.</summary>
public sealed record PreforkSettings : MpmSettings
{
    public PreforkSettings()
    {
        StartServers = MpmDefaults.PreforkStartServers;
        ServerLimit = MpmDefaults.PreforkServerLimit;
        MaxRequestWorkers = MpmDefaults.PreforkServerLimit;
    }

    /// <summary>Debian's mods-available/mpm_prefork.conf on top of the compiled defaults.</summary>
    public static PreforkSettings Debian => new()
    {
        StartServers = 5,
        MinSpareServers = 5,
        MaxSpareServers = 10,
        MaxRequestWorkers = MpmDefaults.DebianPreforkMaxRequestWorkers,
        MaxConnectionsPerChild = 0,
    };

    public override string Name => "prefork";

    public int MinSpareServers { get; init; } = MpmDefaults.MinSpareServers;

    public int MaxSpareServers { get; init; } = MpmDefaults.MaxSpareServers;

    public override int Threads => 1;

    public override int ThreadSlots => 1;

    public override int MaxDaemons => MaxRequestWorkers;

    public override MpmConfigCheck CheckConfig(bool startup, MpmSettings? running = null)
    {
        var w = new List<string>();
        int sl = ServerLimit, mrw = MaxRequestWorkers, ss = StartServers, minSpare = MinSpareServers;
        const int max = MpmDefaults.PreforkMaxServerLimit;
        if (sl > max)
        {
            w.Add(startup
                ? Ah(175) + $"WARNING: ServerLimit of {sl} exceeds compile-time limit of {max} servers, decreasing to {max}."
                : Ah(176) + $"ServerLimit of {sl} exceeds compile-time limit of {max}, decreasing to match");
            sl = max;
        }
        else if (sl < 1)
        {
            w.Add(startup ? Ah(177) + $"WARNING: ServerLimit of {sl} not allowed, increasing to 1." : Ah(178) + $"ServerLimit of {sl} not allowed, increasing to 1");
            sl = 1;
        }

        if (!startup && running is not null && sl != running.ServerLimit)
        {
            w.Add(Ah(179) + $"changing ServerLimit to {sl} from original value of {running.ServerLimit} not allowed during restart");
            sl = running.ServerLimit;
        }

        if (mrw > sl)
        {
            w.Add(startup
                ? Ah(180) + $"WARNING: MaxRequestWorkers of {mrw} exceeds ServerLimit value of {sl} servers, decreasing MaxRequestWorkers to {sl}. To increase, please see the ServerLimit directive."
                : Ah(181) + $"MaxRequestWorkers of {mrw} exceeds ServerLimit value of {sl}, decreasing to match");
            mrw = sl;
        }
        else if (mrw < 1)
        {
            w.Add(startup ? Ah(182) + $"WARNING: MaxRequestWorkers of {mrw} not allowed, increasing to 1." : Ah(183) + $"MaxRequestWorkers of {mrw} not allowed, increasing to 1");
            mrw = 1;
        }

        if (ss < 1)
        {
            w.Add(startup ? Ah(184) + $"WARNING: StartServers of {ss} not allowed, increasing to 1." : Ah(185) + $"StartServers of {ss} not allowed, increasing to 1");
            ss = 1;
        }

        if (minSpare < 1)
        {
            w.Add(startup
                ? Ah(186) + $"WARNING: MinSpareServers of {minSpare} not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation."
                : Ah(187) + $"MinSpareServers of {minSpare} not allowed, increasing to 1");
            minSpare = 1;
        }

        return new MpmConfigCheck(this with { ServerLimit = sl, MaxRequestWorkers = mrw, StartServers = ss, MinSpareServers = minSpare }, w);
    }

    public override MpmSettings AdjustForRun(int buckets = 1)
    {
        // prefork_run, silently: MaxRequestWorkers, StartServers and MinSpareServers >= B (one
        // child per bucket), MaxSpareServers >= MinSpareServers + B, StartServers <= MaxRequestWorkers.
        int b = Math.Max(1, buckets);
        int maxWorkers = Math.Max(MaxRequestWorkers, b);
        int minSpare = Math.Max(MinSpareServers, b);
        int maxSpare = Math.Max(MaxSpareServers, minSpare + b);
        int startServers = Math.Max(StartServers, b);
        return this with
        {
            ListenBuckets = b,
            MaxRequestWorkers = maxWorkers,
            MinSpareServers = minSpare,
            MaxSpareServers = maxSpare,
            StartServers = Math.Min(startServers, maxWorkers),
        };
    }

    public override int Query(MpmQuery query) => query switch
    {
        MpmQuery.IsThreaded => MpmQueryAnswer.NotSupported,
        MpmQuery.IsForked => MpmQueryAnswer.Dynamic,
        MpmQuery.HardLimitDaemons => ServerLimit,
        MpmQuery.HardLimitThreads => 1,
        MpmQuery.MaxThreads => 1,
        MpmQuery.MinSpareDaemons => MinSpareServers,
        MpmQuery.MaxSpareDaemons => MaxSpareServers,
        MpmQuery.MaxRequestsDaemon => MaxConnectionsPerChild,
        MpmQuery.MaxDaemons => MaxRequestWorkers,
        _ => 0,
    };

    protected override IEnumerable<(string Key, string Value)> Values()
    {
        foreach (var kv in base.Values())
        {
            yield return kv;
        }

        yield return ("MinSpareServers", N(MinSpareServers));
        yield return ("MaxSpareServers", N(MaxSpareServers));
    }
}
