using System.Collections.Generic;
using System.Globalization;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Event;

/// <summary>event: keep-alive connections wait without a thread. Apache's compiled defaults.</summary>
public sealed partial record EventSettings : ThreadedMpmSettings
{
    /// <summary>Debian's mods-available/mpm_event.conf on top of the compiled defaults.</summary>
    public static EventSettings Debian => DebianPreset(new EventSettings());

    public override MpmDefinition Definition => EventDefinition.Instance;

    /// <summary>
    /// Values below 1 are raised to 1 silently; the accept limit uses the integer part only
    /// (server/mpm/event/event.c set_worker_factor and listener_thread's connections_above_limit).
    /// </summary>
    public double AsyncRequestWorkerFactor { get; init; } = MpmDefaults.AsyncRequestWorkerFactor;

    /// <summary>
    /// Pluma's KeepAliveOutsideAsyncLimit (default On): a keep-alive connection parked in the
    /// listener until its next request holds no worker, so it is left out of the accept limit
    /// that AsyncRequestWorkerFactor sets, as Pluma already leaves out connections waiting for
    /// the rest of a head or taking a response slowly. A child then holds idle keep-alive
    /// clients up to its file-descriptor limit, as nginx does, while connections in flight stay
    /// bounded by Apache's formula. Off counts them as event.c does.
    /// </summary>
    public bool KeepAliveOutsideAsyncLimit { get; init; } = true;

    /// <summary>The factor as the accept check uses it: truncated, at least 1.</summary>
    public int WorkerFactor => Math.Max(1, (int)AsyncRequestWorkerFactor);

    protected override int MaxThreadLimit => MpmDefaults.EventMaxThreadLimit;

    public override int Query(MpmQuery query) => query switch
    {
        MpmQuery.IsAsync => 1,
        MpmQuery.CanSuspend => 1,
        MpmQuery.CanPoll => 1,
        _ => base.Query(query),
    };

    protected internal override IEnumerable<(string Key, string Value)> Values()
    {
        foreach (var kv in base.Values())
        {
            yield return kv;
        }

        yield return ("AsyncRequestWorkerFactor", AsyncRequestWorkerFactor.ToString(CultureInfo.InvariantCulture));
        yield return ("KeepAliveOutsideAsyncLimit", KeepAliveOutsideAsyncLimit ? "1" : "0");
    }
}
