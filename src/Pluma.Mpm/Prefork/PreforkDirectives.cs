using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>server/mpm/prefork/prefork.c prefork_cmds: every prefork directive, declared once.</summary>
public static class PreforkDirectives
{
    public static IReadOnlyList<DirectiveDefinition> Table { get; } = Create();

    private static List<DirectiveDefinition> Create()
    {
        List<DirectiveDefinition> d = MpmDirectives.Shared<PreforkSettings>(
            "Maximum value of MaxRequestWorkers for this run of Apache",
            "Maximum number of children alive at the same time");
        d.Add(MpmDirectives.Global<PreforkSettings>("MinSpareServers", "Minimum number of idle children, to handle request spikes", (s, x) => s with { MinSpareServers = x }));
        d.Add(MpmDirectives.Global<PreforkSettings>("MaxSpareServers", "Maximum number of idle children", (s, x) => s with { MaxSpareServers = x }));
        return d;
    }
}
