using System.Collections.Generic;
using Pluma.Config;

namespace Pluma.Mpm.Common;

/// <summary>
/// One MPM as the rest of Pluma sees it: its name, its module and directive table, and the
/// answers to what differs between prefork, worker and event. One instance per MPM, in its
/// folder; code outside the MPM folders asks this object instead of testing the MPM's type.
/// </summary>
public abstract class MpmDefinition
{
    /// <summary>prefork, worker, event (mod_status's ServerMPM, -V, mpm_NAME_module).</summary>
    public abstract string Name { get; }

    /// <summary>LoadModule's mpm_NAME_module with the MPM's directive table.</summary>
    public abstract ModuleDescriptor Module { get; }

    /// <summary>Apache's compiled defaults (what the configuration starts from).</summary>
    public abstract MpmSettings CompiledDefaults { get; }

    /// <summary>Rebuilds this MPM's own fields from the child's settings variable (<see cref="ChildSettingsVariable"/>).</summary>
    internal abstract MpmSettings FromValues(IReadOnlyDictionary<string, string> values);

    /// <summary>make_child's other half: the child main loop of this MPM for one child process.</summary>
    internal abstract ChildBase CreateChild(ChildContext context);
}
