using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>prefork as the rest of Pluma sees it (server/mpm/prefork/prefork.c): module, table, and what differs.</summary>
public sealed class PreforkDefinition : MpmDefinition
{
    public static PreforkDefinition Instance { get; } = new();

    private PreforkDefinition()
    {
        Module = MpmDirectives.Module("mpm_prefork_module", "prefork.c", PreforkDirectives.Table, () => new PreforkSettings());
    }

    public override string Name => "prefork";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new PreforkSettings();

    internal override ChildBase CreateChild(ChildContext context) => new PreforkChild(context);

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new PreforkSettings
    {
        MinSpareServers = ChildSettingsVariable.Int(values, "MinSpareServers"),
        MaxSpareServers = ChildSettingsVariable.Int(values, "MaxSpareServers"),
    };
}
