using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Worker;

/// <summary>server/mpm/worker/worker.c worker_cmds: every worker directive, declared once.</summary>
public static class WorkerDirectives
{
    public static IReadOnlyList<DirectiveDefinition> Table { get; } = Create();

    private static List<DirectiveDefinition> Create()
    {
        List<DirectiveDefinition> d = MpmDirectives.Shared<WorkerSettings>(
            "Maximum number of child processes for this run of Apache",
            "Maximum number of threads alive at the same time");
        d.Add(MpmDirectives.Global<WorkerSettings>("MinSpareThreads", "Minimum number of idle threads, to handle request spikes", (s, x) => s with { MinSpareThreads = x }));
        d.Add(MpmDirectives.Global<WorkerSettings>("MaxSpareThreads", "Maximum number of idle threads", (s, x) => s with { MaxSpareThreads = x }));
        d.Add(MpmDirectives.Global<WorkerSettings>("ThreadsPerChild", "Number of threads each child creates", (s, x) => s with { ThreadsPerChild = x }));
        d.Add(MpmDirectives.Global<WorkerSettings>("ThreadLimit", "Maximum number of worker threads per child process for this run of Apache - Upper limit for ThreadsPerChild", (s, x) => s with { ThreadLimit = x }));
        return d;
    }
}
