using System.Collections.Generic;
using Pluma.Config;
using static Pluma.Config.DirectiveBinders;

namespace Pluma.CompiledModules;

/// <summary>
/// The three MPM modules as LoadModule names them (mpm_event_module, mpm_worker_module,
/// mpm_prefork_module) with their directive tables: names, contexts and help texts as
/// event.c, worker.c, prefork.c and mpm_common.c declare them. Exactly one must be loaded.
/// </summary>
internal static class MpmModules
{
    private const DirectiveScope Rsrc = DirectiveScope.RsrcConf;

    public static readonly ModuleDescriptor Event = Create("mpm_event_module", "event.c", threaded: true, isEvent: true);
    public static readonly ModuleDescriptor Worker = Create("mpm_worker_module", "worker.c", threaded: true, isEvent: false);
    public static readonly ModuleDescriptor Prefork = Create("mpm_prefork_module", "prefork.c", threaded: false, isEvent: false);

    public static IReadOnlyList<ModuleDescriptor> All { get; } = [Event, Worker, Prefork];

    /// <summary>The MPM's short name (event, worker, prefork) from its module.</summary>
    public static string NameOf(ModuleDescriptor module) => module.Name["mpm_".Length..^"_module".Length];

    private static ModuleDescriptor Create(string name, string source, bool threaded, bool isEvent)
    {
        var d = new List<DirectiveDefinition>
        {
            Global("StartServers", "Number of child processes launched at server startup", (v, x) => v.StartServers = x),
            Global("ServerLimit", threaded ? "Maximum number of child processes for this run of Apache" : "Maximum value of MaxRequestWorkers for this run of Apache", (v, x) => v.ServerLimit = x),
            Global("MaxRequestWorkers", threaded ? "Maximum number of threads alive at the same time" : "Maximum number of children alive at the same time", (v, x) => v.MaxRequestWorkers = x),
            Global("MaxClients", threaded ? "Deprecated name of MaxRequestWorkers" : "Deprecated name of MaxRequestWorkers", (v, x) => v.MaxRequestWorkers = x),
            Global("MaxConnectionsPerChild", "Maximum number of connections a particular child serves before dying.", (v, x) => v.MaxConnectionsPerChild = x),
            Global("MaxRequestsPerChild", "Deprecated name of MaxConnectionsPerChild", (v, x) => v.MaxConnectionsPerChild = x),
            Global("GracefulShutdownTimeout", "Maximum time in seconds to wait for child processes to complete transactions during shutdown", (v, x) => v.GracefulShutdownTimeout = x),
            Pending("MaxMemFree", "Maximum number of 1k blocks a particular child's allocator may hold."),
            Pending("ThreadStackSize", "Size in bytes of stack used by threads handling client connections"),
        };
        if (threaded)
        {
            d.Add(Global("MinSpareThreads", "Minimum number of idle threads, to handle request spikes", (v, x) => v.MinSpareThreads = x));
            d.Add(Global("MaxSpareThreads", "Maximum number of idle threads", (v, x) => v.MaxSpareThreads = x));
            d.Add(Global("ThreadsPerChild", "Number of threads each child creates", (v, x) => v.ThreadsPerChild = x));
            d.Add(Global("ThreadLimit", "Maximum number of worker threads per child process for this run of Apache - Upper limit for ThreadsPerChild", (v, x) => v.ThreadLimit = x));
        }
        else
        {
            d.Add(Global("MinSpareServers", "Minimum number of idle children, to handle request spikes", (v, x) => v.MinSpareServers = x));
            d.Add(Global("MaxSpareServers", "Maximum number of idle children", (v, x) => v.MaxSpareServers = x));
        }

        if (isEvent)
        {
            d.Add(new DirectiveDefinition("AsyncRequestWorkerFactor", DirectiveArgs.Take1, Rsrc, "How many additional connects will be accepted per idle worker", SetAsyncFactor)
            {
                Restrictions = ContextRestrictions.GlobalOnly,
            });
        }

        return new ModuleDescriptor(name, source, d)
        {
            CreateServerConfig = () => new MpmDirectiveValues(),
            MergeServerConfig = (main, _) => main,
        };
    }

    private static DirectiveDefinition Global(string name, string help, Action<MpmDirectiveValues, int> set) =>
        new(name, DirectiveArgs.Take1, Rsrc, help, Atoi(DirectiveTarget.Server, set)) { Restrictions = ContextRestrictions.GlobalOnly };

    private static DirectiveDefinition Pending(string name, string help) =>
        DirectiveDefinition.Pending(name, DirectiveArgs.Take1, Rsrc, help);

    private static string? SetAsyncFactor(DirectiveCall call)
    {
        if (!double.TryParse(call.Args[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double f))
        {
            return "error parsing value";
        }

        if (f <= 0)
        {
            return "AsyncRequestWorkerFactor argument must be a positive number";
        }

        call.GetServerRecord<MpmDirectiveValues>().AsyncRequestWorkerFactor = f;
        return null;
    }
}
