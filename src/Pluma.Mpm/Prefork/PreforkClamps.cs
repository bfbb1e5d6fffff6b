using System.Collections.Generic;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <content>
/// server/mpm/prefork/prefork.c prefork_check_config: the clamps of the prefork directives, in
/// Apache's order, each message with its AH number. At startup the console texts, on restart
/// the error-log texts. Then prefork_run's silent adjustments for the listener buckets, and the
/// process limit both leave behind.
/// </content>
public sealed partial record PreforkSettings
{
    public override MpmConfigCheck CheckConfig(bool startup, MpmSettings? running = null)
    {
        var w = new List<string>();
        int sl = ServerLimit, mrw = MaxRequestWorkers, ss = StartServers, minSpare = MinSpareServers;
        const int max = MpmDefaults.PreforkMaxServerLimit;
        if (sl > max)
        {
            w.Add(startup
                ? $"AH00175: WARNING: ServerLimit of {sl} exceeds compile-time limit of {max} servers, decreasing to {max}."
                : $"AH00176: ServerLimit of {sl} exceeds compile-time limit of {max}, decreasing to match");
            sl = max;
        }
        else if (sl < 1)
        {
            w.Add(startup ? $"AH00177: WARNING: ServerLimit of {sl} not allowed, increasing to 1." : $"AH00178: ServerLimit of {sl} not allowed, increasing to 1");
            sl = 1;
        }

        if (!startup && running is not null && sl != running.ServerLimit)
        {
            w.Add($"AH00179: changing ServerLimit to {sl} from original value of {running.ServerLimit} not allowed during restart");
            sl = running.ServerLimit;
        }

        if (mrw > sl)
        {
            w.Add(startup
                ? $"AH00180: WARNING: MaxRequestWorkers of {mrw} exceeds ServerLimit value of {sl} servers, decreasing MaxRequestWorkers to {sl}. To increase, please see the ServerLimit directive."
                : $"AH00181: MaxRequestWorkers of {mrw} exceeds ServerLimit value of {sl}, decreasing to match");
            mrw = sl;
        }
        else if (mrw < 1)
        {
            w.Add(startup ? $"AH00182: WARNING: MaxRequestWorkers of {mrw} not allowed, increasing to 1." : $"AH00183: MaxRequestWorkers of {mrw} not allowed, increasing to 1");
            mrw = 1;
        }

        if (ss < 1)
        {
            w.Add(startup ? $"AH00184: WARNING: StartServers of {ss} not allowed, increasing to 1." : $"AH00185: StartServers of {ss} not allowed, increasing to 1");
            ss = 1;
        }

        if (minSpare < 1)
        {
            w.Add(startup
                ? $"AH00186: WARNING: MinSpareServers of {minSpare} not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation."
                : $"AH00187: MinSpareServers of {minSpare} not allowed, increasing to 1");
            minSpare = 1;
        }

        return new MpmConfigCheck(this with { ServerLimit = sl, MaxRequestWorkers = mrw, StartServers = ss, MinSpareServers = minSpare }, w);
    }

    /// <summary>ap_daemons_limit: prefork's process limit is MaxRequestWorkers.</summary>
    public override int MaxDaemons => MaxRequestWorkers;

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
}
