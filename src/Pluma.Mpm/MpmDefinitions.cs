using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;

namespace Pluma.Mpm;

/// <summary>The three MPMs, in the order the host registers their modules.</summary>
public static class MpmDefinitions
{
    public static IReadOnlyList<MpmDefinition> All { get; } = [EventDefinition.Instance, WorkerDefinition.Instance, PreforkDefinition.Instance];

    /// <summary>The settings a child received from its parent (<see cref="ChildSettingsVariable"/>).</summary>
    public static MpmSettings ReadChildSettings(string value) => ChildSettingsVariable.Read(value, Named);

    /// <summary>The MPM called <paramref name="name"/>, or null.</summary>
    public static MpmDefinition? Named(string name)
    {
        foreach (MpmDefinition d in All)
        {
            if (d.Name == name)
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>The MPM whose module is <paramref name="module"/>, or null for another module.</summary>
    public static MpmDefinition? OfModule(ModuleDescriptor module)
    {
        foreach (MpmDefinition d in All)
        {
            if (ReferenceEquals(d.Module, module))
            {
                return d;
            }
        }

        return null;
    }
}
