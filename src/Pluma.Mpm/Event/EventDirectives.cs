using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Event;

/// <summary>server/mpm/event/event.c event_cmds: every event directive, declared once.</summary>
public static class EventDirectives
{
    public static IReadOnlyList<DirectiveDefinition> Table { get; } = Create();

    private static List<DirectiveDefinition> Create()
    {
        List<DirectiveDefinition> d = MpmDirectives.Shared<EventSettings>(
            "Maximum number of child processes for this run of Apache",
            "Maximum number of threads alive at the same time");
        d.Add(MpmDirectives.Global<EventSettings>("MinSpareThreads", "Minimum number of idle threads, to handle request spikes", (s, x) => s with { MinSpareThreads = x }));
        d.Add(MpmDirectives.Global<EventSettings>("MaxSpareThreads", "Maximum number of idle threads", (s, x) => s with { MaxSpareThreads = x }));
        d.Add(MpmDirectives.Global<EventSettings>("ThreadsPerChild", "Number of threads each child creates", (s, x) => s with { ThreadsPerChild = x }));
        d.Add(MpmDirectives.Global<EventSettings>("ThreadLimit", "Maximum number of worker threads per child process for this run of Apache - Upper limit for ThreadsPerChild", (s, x) => s with { ThreadLimit = x }));
        d.Add(new DirectiveDefinition("AsyncRequestWorkerFactor", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "How many additional connects will be accepted per idle worker", SetAsyncRequestWorkerFactor)
        {
            Restrictions = ContextRestrictions.GlobalOnly,
        });
        d.Add(new DirectiveDefinition("KeepAliveOutsideAsyncLimit", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Whether idle keep-alive connections are left out of the AsyncRequestWorkerFactor accept limit (Pluma)", SetKeepAliveOutsideAsyncLimit)
        {
            Restrictions = ContextRestrictions.GlobalOnly,
        });
        return d;
    }

    /// <summary>Pluma's own directive (no Apache counterpart): see <see cref="EventSettings.KeepAliveOutsideAsyncLimit"/>.</summary>
    private static string? SetKeepAliveOutsideAsyncLimit(DirectiveCall call)
    {
        MpmDirectiveDraft<EventSettings> draft = call.GetServerRecord<MpmDirectiveDraft<EventSettings>>();
        draft.Settings = draft.Settings with { KeepAliveOutsideAsyncLimit = call.FlagValue };
        return null;
    }

    /// <summary>event.c set_worker_factor: a positive floating-point number.</summary>
    private static string? SetAsyncRequestWorkerFactor(DirectiveCall call)
    {
        if (!double.TryParse(call.Args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
        {
            return "error parsing value";
        }

        if (f <= 0)
        {
            return "AsyncRequestWorkerFactor argument must be a positive number";
        }

        MpmDirectiveDraft<EventSettings> draft = call.GetServerRecord<MpmDirectiveDraft<EventSettings>>();
        draft.Settings = draft.Settings with { AsyncRequestWorkerFactor = f };
        return null;
    }
}
