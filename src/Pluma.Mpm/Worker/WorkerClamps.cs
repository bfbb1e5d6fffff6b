using System.Collections.Generic;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Worker;

/// <content>
/// server/mpm/worker/worker.c worker_check_config: the clamps of the worker directives, in Apache's order, each
/// message with its AH number. At startup the console texts, on restart the error-log texts.
/// </content>
public sealed partial record WorkerSettings
{
    public override MpmConfigCheck CheckConfig(bool startup, MpmSettings? running = null)
    {
        var w = new List<string>();
        int sl = ServerLimit, tl = ThreadLimit, tpc = ThreadsPerChild, mrw = MaxRequestWorkers;
        int ss = StartServers, minSpare = MinSpareThreads;
        const int maxSl = MpmDefaults.ThreadedMaxServerLimit;
        int maxTl = MaxThreadLimit;
        if (sl > maxSl)
        {
            w.Add(startup
                ? $"AH00300: WARNING: ServerLimit of {sl} exceeds compile-time limit of {maxSl} servers, decreasing to {maxSl}."
                : $"AH00301: ServerLimit of {sl} exceeds compile-time limit of {maxSl}, decreasing to match");
            sl = maxSl;
        }
        else if (sl < 1)
        {
            w.Add(startup ? $"AH00302: WARNING: ServerLimit of {sl} not allowed, increasing to 1." : $"AH00303: ServerLimit of {sl} not allowed, increasing to 1");
            sl = 1;
        }

        if (!startup && running is not null && sl != running.ServerLimit)
        {
            w.Add($"AH00304: changing ServerLimit to {sl} from original value of {running.ServerLimit} not allowed during restart");
            sl = running.ServerLimit;
        }

        if (tl > maxTl)
        {
            w.Add(startup
                ? $"AH00305: WARNING: ThreadLimit of {tl} exceeds compile-time limit of {maxTl} threads, decreasing to {maxTl}."
                : $"AH00306: ThreadLimit of {tl} exceeds compile-time limit of {maxTl}, decreasing to match");
            tl = maxTl;
        }
        else if (tl < 1)
        {
            w.Add(startup ? $"AH00307: WARNING: ThreadLimit of {tl} not allowed, increasing to 1." : $"AH00308: ThreadLimit of {tl} not allowed, increasing to 1");
            tl = 1;
        }

        if (!startup && running is ThreadedMpmSettings r && tl != r.ThreadLimit)
        {
            w.Add($"AH00309: changing ThreadLimit to {tl} from original value of {r.ThreadLimit} not allowed during restart");
            tl = r.ThreadLimit;
        }

        if (tpc > tl)
        {
            w.Add(startup
                ? $"AH00310: WARNING: ThreadsPerChild of {tpc} exceeds ThreadLimit of {tl} threads, decreasing to {tl}. To increase, please see the ThreadLimit directive."
                : $"AH00311: ThreadsPerChild of {tpc} exceeds ThreadLimit of {tl}, decreasing to match");
            tpc = tl;
        }
        else if (tpc < 1)
        {
            w.Add(startup ? $"AH00312: WARNING: ThreadsPerChild of {tpc} not allowed, increasing to 1." : $"AH00313: ThreadsPerChild of {tpc} not allowed, increasing to 1");
            tpc = 1;
        }

        if (mrw < tpc)
        {
            w.Add(startup
                ? $"AH00314: WARNING: MaxRequestWorkers of {mrw} is less than ThreadsPerChild of {tpc}, increasing to {tpc}. MaxRequestWorkers must be at least as large as the number of threads in a single server."
                : $"AH00315: MaxRequestWorkers of {mrw} is less than ThreadsPerChild of {tpc}, increasing to match");
            mrw = tpc;
        }

        int maxDaemons = mrw / tpc;
        if (mrw % tpc != 0)
        {
            int multiple = maxDaemons * tpc;
            w.Add(startup
                ? $"AH00316: WARNING: MaxRequestWorkers of {mrw} is not an integer multiple of ThreadsPerChild of {tpc}, decreasing to nearest multiple {multiple}, for a maximum of {maxDaemons} servers."
                : $"AH00317: MaxRequestWorkers of {mrw} is not an integer multiple of ThreadsPerChild of {tpc}, decreasing to nearest multiple {multiple}");
            mrw = multiple;
        }

        if (maxDaemons > sl)
        {
            w.Add(startup
                ? $"AH00318: WARNING: MaxRequestWorkers of {mrw} would require {maxDaemons} servers and would exceed ServerLimit of {sl}, decreasing to {sl * tpc}. To increase, please see the ServerLimit directive."
                : $"AH00319: MaxRequestWorkers of {mrw} would require {maxDaemons} servers and exceed ServerLimit of {sl}, decreasing to {sl * tpc}");
            // Only the process limit drops (MaxDaemons caps at ServerLimit); MaxRequestWorkers stays.
        }

        if (ss < 1)
        {
            w.Add(startup ? $"AH00320: WARNING: StartServers of {ss} not allowed, increasing to 1." : $"AH00321: StartServers of {ss} not allowed, increasing to 1");
            ss = 1;
        }

        if (minSpare < 1)
        {
            w.Add(startup
                ? $"AH00322: WARNING: MinSpareThreads of {minSpare} not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation."
                : $"AH00323: MinSpareThreads of {minSpare} not allowed, increasing to 1");
            minSpare = 1;
        }

        return new MpmConfigCheck(
            this with { ServerLimit = sl, ThreadLimit = tl, ThreadsPerChild = tpc, MaxRequestWorkers = mrw, StartServers = ss, MinSpareThreads = minSpare }, w);
    }
}
