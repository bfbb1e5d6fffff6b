using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;

namespace Pluma.CompiledModules;

/// <summary>
/// The three MPM modules as LoadModule names them (mpm_event_module, mpm_worker_module,
/// mpm_prefork_module). Their directive tables live beside each MPM's settings record in
/// Pluma.Mpm (Prefork/, Worker/, Event/); the host only lists them. Exactly one must be loaded.
/// </summary>
internal static class MpmModules
{
    public static readonly ModuleDescriptor Event = EventDefinition.Instance.Module;
    public static readonly ModuleDescriptor Worker = WorkerDefinition.Instance.Module;
    public static readonly ModuleDescriptor Prefork = PreforkDefinition.Instance.Module;

    public static IReadOnlyList<ModuleDescriptor> All { get; } = [Event, Worker, Prefork];

    /// <summary>The MPM of a loaded module (null for any other module).</summary>
    public static MpmDefinition? DefinitionOf(ModuleDescriptor module) => MpmDefinitions.OfModule(module);

    /// <summary>The MPM's short name (event, worker, prefork) from its module.</summary>
    public static string NameOf(ModuleDescriptor module) => DefinitionOf(module)!.Name;
}
