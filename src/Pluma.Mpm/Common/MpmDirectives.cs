using System.Collections.Generic;
using Pluma.Config;
using static Pluma.Config.DirectiveBinders;

namespace Pluma.Mpm.Common;

/// <summary>
/// The directives every MPM declares (in each MPM's command table, or through
/// server/mpm_common.c's shared setters), for the tables of Prefork/, Worker/ and Event/.
/// Each setter writes the MPM's settings record in the draft; the host never sees a value.
/// </summary>
public static class MpmDirectives
{
    private const DirectiveScope Rsrc = DirectiveScope.RsrcConf;

    /// <summary>
    /// StartServers ... ThreadStackSize in Apache's order; <paramref name="serverLimitHelp"/> and
    /// <paramref name="maxRequestWorkersHelp"/> are the MPM's own help texts.
    /// </summary>
    public static List<DirectiveDefinition> Shared<T>(string serverLimitHelp, string maxRequestWorkersHelp)
        where T : MpmSettings =>
    [
        Global<T>("StartServers", "Number of child processes launched at server startup", (s, x) => s with { StartServers = x }),
        Global<T>("ServerLimit", serverLimitHelp, (s, x) => s with { ServerLimit = x }),
        MaxRequestWorkers<T>("MaxRequestWorkers", maxRequestWorkersHelp),
        MaxRequestWorkers<T>("MaxClients", "Deprecated name of MaxRequestWorkers"),
        Global<T>("MaxConnectionsPerChild", "Maximum number of connections a particular child serves before dying.", (s, x) => s with { MaxConnectionsPerChild = x }),
        Global<T>("MaxRequestsPerChild", "Deprecated name of MaxConnectionsPerChild", (s, x) => s with { MaxConnectionsPerChild = x }),
        Global<T>("GracefulShutdownTimeout", "Maximum time in seconds to wait for child processes to complete transactions during shutdown", (s, x) => s with { GracefulShutdownTimeout = x }),
        DirectiveDefinition.Pending("MaxMemFree", DirectiveArgs.Take1, Rsrc, "Maximum number of 1k blocks a particular child's allocator may hold."),
        DirectiveDefinition.Pending("ThreadStackSize", DirectiveArgs.Take1, Rsrc, "Size in bytes of stack used by threads handling client connections"),
    ];

    /// <summary>A main-server-only numeric directive (C atoi, as the MPMs read them) that sets one field of <typeparamref name="T"/>.</summary>
    public static DirectiveDefinition Global<T>(string name, string help, Func<T, int, T> set)
        where T : MpmSettings =>
        new(name, DirectiveArgs.Take1, Rsrc, help, Atoi<MpmDirectiveDraft<T>>(DirectiveTarget.Server, (d, x) => d.Settings = set(d.Settings, x)))
        {
            Restrictions = ContextRestrictions.GlobalOnly,
        };

    /// <summary>The same for a field of the <see cref="MpmSettings"/> base record.</summary>
    private static DirectiveDefinition Global<T>(string name, string help, Func<MpmSettings, int, MpmSettings> set)
        where T : MpmSettings =>
        Global<T>(name, help, (T s, int x) => (T)set(s, x));

    private static DirectiveDefinition MaxRequestWorkers<T>(string name, string help)
        where T : MpmSettings =>
        new(name, DirectiveArgs.Take1, Rsrc, help, Atoi<MpmDirectiveDraft<T>>(DirectiveTarget.Server, (d, x) =>
        {
            d.Settings = (T)(d.Settings with { MaxRequestWorkers = x });
            d.MaxRequestWorkersSaid = true;
        }))
        {
            Restrictions = ContextRestrictions.GlobalOnly,
        };

    /// <summary>
    /// The MPM's module: LoadModule's name, -l's source file, its table (built when first asked
    /// for: only the loaded MPM's is) and its draft record.
    /// </summary>
    public static ModuleDescriptor Module<T>(string name, string sourceFile, Func<IReadOnlyList<DirectiveDefinition>> table, Func<T> compiledDefaults)
        where T : MpmSettings =>
        new(name, sourceFile, table)
        {
            CreateServerConfig = () => new MpmDirectiveDraft<T>(compiledDefaults()),
            // Only the main server's values count (the directives are global only).
            MergeServerConfig = (main, _) => main,
        };
}
