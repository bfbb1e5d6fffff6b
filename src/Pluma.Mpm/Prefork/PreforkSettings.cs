using System.Collections.Generic;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>prefork: one connection per process. Defaults are Apache's compiled ones.</summary>
public sealed partial record PreforkSettings : MpmSettings
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
        MaxRequestWorkers = 150,
        MaxConnectionsPerChild = 0,
    };

    public override MpmDefinition Definition => PreforkDefinition.Instance;

    public int MinSpareServers { get; init; } = MpmDefaults.MinSpareServers;

    public int MaxSpareServers { get; init; } = MpmDefaults.MaxSpareServers;

    public override int CompiledMaxRequestWorkers => ServerLimit;

    public override int Threads => 1;

    public override int ThreadSlots => 1;

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
        MpmQuery.MaxDaemons => MaxDaemons,
        _ => 0,
    };

    protected internal override IEnumerable<(string Key, string Value)> Values()
    {
        foreach (var kv in base.Values())
        {
            yield return kv;
        }

        yield return ("MinSpareServers", N(MinSpareServers));
        yield return ("MaxSpareServers", N(MaxSpareServers));
    }
}
